"""PyTorch side of `bench engine`: the same workloads as EngineBenchmark.cs, medians printed as JSON.

Usage: python3 engine_reference.py THREADS MATMUL_REPS STEP_REPS
"""
import json
import math
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

from timing import median_ms

threads, matmul_reps, step_reps = (int(a) for a in sys.argv[1:4])
torch.set_num_threads(threads)
torch.manual_seed(0)


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.ln1, self.qkv, self.proj = nn.LayerNorm(d), nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.ln2, self.fc, self.fc_out = nn.LayerNorm(d), nn.Linear(d, 4 * d), nn.Linear(4 * d, d)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(b, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4).unbind(0)
        mask = torch.ones(t, t, dtype=torch.bool).tril().logical_not()
        scores = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(q.size(-1)))
        scores = scores.masked_fill(mask, torch.finfo(scores.dtype).min)
        attended = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d)
        x = x + self.proj(attended)
        return x + self.fc_out(F.gelu(self.fc(self.ln2(x))))


class MiniTransformer(nn.Module):
    def __init__(self, vocab, d, heads, layers, max_seq):
        super().__init__()
        self.tok, self.pos = nn.Embedding(vocab, d), nn.Embedding(max_seq, d)
        self.blocks = nn.ModuleList(Block(d, heads) for _ in range(layers))
        self.ln_f, self.head = nn.LayerNorm(d), nn.Linear(d, vocab)

    def forward(self, ids):
        x = self.tok(ids) + self.pos(torch.arange(ids.size(1)))
        for block in self.blocks:
            x = block(x)
        return self.head(self.ln_f(x))


a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
matmul = median_ms(lambda: a @ b, matmul_reps)

vocab, d, heads, layers, seq, batch = 1000, 256, 4, 4, 64, 32
model = MiniTransformer(vocab, d, heads, layers, seq)
opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
ids = torch.randint(0, vocab, (batch, seq))
target = torch.randint(0, vocab, (batch, seq))


def train_step():
    opt.zero_grad()
    loss = F.cross_entropy(model(ids).reshape(-1, vocab), target.reshape(-1))
    loss.backward()
    opt.step()


step = median_ms(train_step, step_reps)
print(json.dumps({"matmul_ms": matmul, "step_ms": step, "torch": torch.__version__, "threads": torch.get_num_threads()}))
