"""PyTorch side of `bench vae`: the default VAE of notebook 02 (BERT-style encoder, tiny Qwen2 decoder, query
injection, rule classifier) written independently in PyTorch, timed on the same batch shapes with the same
optimiser step (AdamW, gradient clipping).

Usage: python3 vae_reference.py THREADS VOCAB BATCH STEPS WARMUP  ->  JSON {"step_s": median seconds per step}
"""
import json, math, statistics, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

threads, vocab, batch, steps, warmup = (int(a) for a in sys.argv[1:6])
part = sys.argv[6] if len(sys.argv) > 6 else "all"   # "forward", "backward" (forward + backward) or "all"
dtype = {"f32": torch.float32, "bf16": torch.bfloat16}[sys.argv[7] if len(sys.argv) > 7 else "f32"]
torch.set_num_threads(threads)
torch.manual_seed(0)
E_H, E_L, E_HEADS, E_FF = 64, 2, 4, 128          # encoder (BertConfig of notebook 02)
D_H, D_L, D_HEADS, D_KV, D_FF = 64, 2, 4, 2, 128  # decoder (Qwen2Config.Tiny)
LATENT, RULES, RULE_WEIGHT, BETA = 16, 2, 20.0, 0.2
HD = D_H // D_HEADS


class BertLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.qkv = nn.ModuleList(nn.Linear(E_H, E_H) for _ in range(3))
        self.out, self.ln1 = nn.Linear(E_H, E_H), nn.LayerNorm(E_H, eps=1e-12)
        self.ff1, self.ff2, self.ln2 = nn.Linear(E_H, E_FF), nn.Linear(E_FF, E_H), nn.LayerNorm(E_H, eps=1e-12)
        self.drop = nn.Dropout(0.1)

    def forward(self, x, pad):
        B, T, _ = x.shape
        q, k, v = (p(x).view(B, T, E_HEADS, -1).transpose(1, 2) for p in self.qkv)
        s = (q @ k.transpose(-2, -1)) / math.sqrt(E_H // E_HEADS)
        a = self.drop(s.masked_fill(pad[:, None, None, :], float("-inf")).softmax(-1)) @ v
        x = self.ln1(x + self.drop(self.out(a.transpose(1, 2).reshape(B, T, E_H))))
        return self.ln2(x + self.drop(self.ff2(F.gelu(self.ff1(x)))))


class Rms(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.ones(D_H))

    def forward(self, x):
        return self.w * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6))


class QwenLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.n1, self.n2 = Rms(), Rms()
        self.q, self.k, self.v = nn.Linear(D_H, D_HEADS * HD), nn.Linear(D_H, D_KV * HD), nn.Linear(D_H, D_KV * HD)
        self.o = nn.Linear(D_HEADS * HD, D_H, bias=False)
        self.gate, self.up, self.down = nn.Linear(D_H, D_FF, bias=False), nn.Linear(D_H, D_FF, bias=False), nn.Linear(D_FF, D_H, bias=False)
        self.zq = nn.Linear(LATENT, D_HEADS * HD)    # query injection

    def forward(self, x, z, cos, sin, mask):
        B, T, _ = x.shape
        h = self.n1(x)
        q = (self.q(h) + self.zq(z)[:, None, :]).view(B, T, D_HEADS, HD).transpose(1, 2)
        k = self.k(h).view(B, T, D_KV, HD).transpose(1, 2)
        v = self.v(h).view(B, T, D_KV, HD).transpose(1, 2)
        q, k = rope(q, cos, sin), rope(k, cos, sin)
        k, v = k.repeat_interleave(D_HEADS // D_KV, 1), v.repeat_interleave(D_HEADS // D_KV, 1)
        s = (q @ k.transpose(-2, -1)) / math.sqrt(HD)
        a = s.masked_fill(mask, float("-inf")).softmax(-1) @ v
        x = x + self.o(a.transpose(1, 2).reshape(B, T, D_H))
        h = self.n2(x)
        return x + self.down(F.silu(self.gate(h)) * self.up(h))


def rope(x, cos, sin):
    a, b = x[..., : HD // 2], x[..., HD // 2:]
    return x * cos + torch.cat([-b, a], -1) * sin


class Vae(nn.Module):
    def __init__(self):
        super().__init__()
        self.word, self.pos, self.segment = nn.Embedding(vocab, E_H), nn.Embedding(256, E_H), nn.Embedding(2, E_H)
        self.eln, self.edrop = nn.LayerNorm(E_H, eps=1e-12), nn.Dropout(0.1)
        self.enc = nn.ModuleList(BertLayer() for _ in range(E_L))
        self.to_latent = nn.Linear(E_H, 2 * LATENT)
        self.embed = nn.Embedding(vocab, D_H)
        self.dec = nn.ModuleList(QwenLayer() for _ in range(D_L))
        self.norm = Rms()
        self.rule = nn.Linear(LATENT, RULES)

    def forward(self, ids, mask, dec_ids, dec_mask, targets, rules):
        B, T = ids.shape
        x = self.edrop(self.eln(self.word(ids) + self.pos(torch.arange(T))[None] + self.segment(torch.zeros_like(ids))))
        for layer in self.enc:
            x = layer(x, mask == 0)
        m = mask[..., None].to(x.dtype)
        mu, logvar = self.to_latent((x * m).sum(1) / m.sum(1).clamp_min(1)).chunk(2, -1)
        z = mu + (0.5 * logvar).exp() * torch.randn_like(mu)
        Td = dec_ids.shape[1]
        inv = 10000.0 ** (-torch.arange(0, HD, 2, dtype=torch.float64) / HD)
        ang = torch.arange(Td, dtype=torch.float64)[:, None] * inv
        cos, sin = torch.cat([ang, ang], -1).cos().to(dtype), torch.cat([ang, ang], -1).sin().to(dtype)
        causal = torch.ones(Td, Td, dtype=torch.bool).tril().logical_not()
        attn_mask = causal[None, None] | (dec_mask == 0)[:, None, None, :]
        h = self.embed(dec_ids)
        for layer in self.dec:
            h = layer(h, z, cos, sin, attn_mask)
        logits = F.linear(self.norm(h), self.embed.weight)                                   # tied
        rec = F.cross_entropy(logits.reshape(-1, vocab), targets.reshape(-1), ignore_index=-100, reduction="sum") / B
        kl = (0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar)).sum(-1).mean()
        return rec + BETA * kl + RULE_WEIGHT * F.cross_entropy(self.rule(z), rules)


def make_batch():
    lengths = [10 + (i * 7919) % 31 for i in range(batch)]
    T = max(lengths)
    ids = torch.zeros(batch, T, dtype=torch.long)
    mask = torch.zeros(batch, T, dtype=torch.long)
    for r, n in enumerate(lengths):
        ids[r, :n] = torch.tensor([5 + (r * 31 + k * 17) % (vocab - 5) for k in range(n)])
        mask[r, :n] = 1
    targets = ids[:, 1:].masked_fill(mask[:, 1:] == 0, -100)
    return ids, mask, ids[:, :-1], mask[:, :-1], targets, torch.tensor([r % RULES for r in range(batch)])


model = Vae().to(dtype)
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.01)
data = make_batch()
times = []
for i in range(warmup + steps):
    t = time.perf_counter()
    opt.zero_grad()
    loss = model(*data)
    if part != "forward":
        loss.backward()
    if part == "all":
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
    if i >= warmup:
        times.append(time.perf_counter() - t)
print(json.dumps({"step_s": statistics.median(times), "parameters": sum(p.numel() for p in model.parameters()), "loss": float(loss)}))
