"""PyTorch side of `bench matmul`: median milliseconds of F.linear(x [rows, in], w [out, in]) per shape, as JSON.

Usage: python3 matmul_reference.py REPS "rows,in,out;rows,in,out;..."
"""
import json
import os
import sys

import torch
import torch.nn.functional as F

from timing import median_ms

reps = int(sys.argv[1])
shapes = [tuple(int(v) for v in s.split(",")) for s in sys.argv[2].split(";")]
torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", torch.get_num_threads())))


result = []
with torch.no_grad():
    for rows, inp, out in shapes:
        torch.manual_seed(0)
        x, w = torch.randn(rows, inp), torch.randn(out, inp)
        result.append(median_ms(lambda: F.linear(x, w), reps))
print(json.dumps({"ms": result, "threads": torch.get_num_threads()}))
