"""The PyTorch peer of rnnlab's benchmarks: the same model, data layout, optimizer and clipping in
plain PyTorch (Debian's python3-torch), written as a PyTorch user would write it. Prints one JSON
line per measurement.

  torch_peer.py train  TEXT --hidden 256 --batch 32 [--seconds 20]
  torch_peer.py sample TEXT --hidden 256 --batch 1  [--chars 2000]
  torch_peer.py matmul [--size 2048]
"""
import argparse
import json
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class CharRnn(nn.Module):
    def __init__(self, vocab, embedding, hidden, layers):
        super().__init__()
        self.embedding = nn.Embedding(vocab, embedding)
        self.rnn = nn.LSTM(embedding, hidden, layers, batch_first=True)
        self.decoder = nn.Linear(hidden, vocab)

    def forward(self, ids, state=None):
        output, state = self.rnn(self.embedding(ids), state)
        return self.decoder(output), state


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def corpus(path, batch):
    # stream layout, as rnnlab's: the text cut into B contiguous rows, targets one step ahead
    text = open(path, encoding="utf-8").read()
    chars = sorted(set(text))
    index = {c: i for i, c in enumerate(chars)}
    columns = len(text) // batch
    ids = torch.tensor([index[c] for c in text[: columns * batch]], dtype=torch.long)
    return ids.view(batch, columns), len(chars)


def train(args):
    data, vocab = corpus(args.text, args.batch)
    model = CharRnn(vocab, args.embedding, args.hidden, args.layers)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.002)
    windows = (data.shape[1] - 1) // args.bptt
    state = None
    step, timed_steps, clock = 0, 0, None
    while True:
        if step == args.warmup:
            clock = time.perf_counter()
        window = step % windows
        if window == 0:
            state = None
        x = data[:, window * args.bptt:(window + 1) * args.bptt]
        y = data[:, window * args.bptt + 1:(window + 1) * args.bptt + 1]
        logits, state = model(x, state)
        loss = F.cross_entropy(logits.reshape(-1, vocab), y.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        optimizer.step()
        state = tuple(s.detach() for s in state)
        step += 1
        if clock is not None:
            timed_steps = step - args.warmup
            elapsed = time.perf_counter() - clock
            if (elapsed >= args.seconds and timed_steps >= args.min_steps) or timed_steps >= args.max_steps:
                break
    loss.item()
    elapsed = time.perf_counter() - clock
    report("train", args, steps=timed_steps, seconds=round(elapsed, 3),
           char_per_s=round(timed_steps * args.batch * args.bptt / elapsed, 1))


def sample(args):
    _, vocab = corpus(args.text, 1)
    model = CharRnn(vocab, args.embedding, args.hidden, args.layers).eval()
    generator = torch.Generator().manual_seed(1)
    with torch.no_grad():
        ids = torch.zeros(args.batch, 1, dtype=torch.long)
        state = None
        clock = None
        for step in range(args.warmup_chars + args.chars):
            if step == args.warmup_chars:
                clock = time.perf_counter()
            logits, state = model(ids, state)
            probs = F.softmax(logits[:, -1] / 0.8, dim=-1)
            ids = torch.multinomial(probs, 1, generator=generator)
            ids.tolist()  # the characters reach the host each step, as a sampler must print them
        elapsed = time.perf_counter() - clock
    report("sample", args, chars=args.chars, seconds=round(elapsed, 3),
           char_per_s=round(args.chars * args.batch / elapsed, 1),
           us_per_step=round(1e6 * elapsed / args.chars, 1))


def matmul(args):
    a = torch.randn(args.size, args.size)
    b = torch.randn(args.size, args.size)
    for _ in range(3):
        a @ b
    count, clock = 0, time.perf_counter()
    while time.perf_counter() - clock < args.seconds:
        a @ b
        count += 1
    elapsed = time.perf_counter() - clock
    report("matmul", args, gflops=round(2 * args.size ** 3 * count / elapsed / 1e9, 2))


def report(kind, args, **values):
    line = {"kind": kind, "side": "pytorch", "torch": torch.__version__, "threads": torch.get_num_threads(),
            "peak_rss_mib": round(peak_rss_mib(), 1)}
    line.update({k: getattr(args, k) for k in ("hidden", "batch") if hasattr(args, k)})
    line.update(values)
    print(json.dumps(line), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["train", "sample", "matmul"])
    parser.add_argument("text", nargs="?")
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--embedding", type=int, default=64)
    parser.add_argument("--bptt", type=int, default=64)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--min-steps", type=int, default=3)
    parser.add_argument("--max-steps", type=int, default=100000)
    parser.add_argument("--chars", type=int, default=2000)
    parser.add_argument("--warmup-chars", type=int, default=50)
    parser.add_argument("--size", type=int, default=2048)
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args()
    torch.set_num_threads(args.threads or torch.get_num_threads())
    torch.manual_seed(1337)
    if args.kind != "matmul" and not args.text:
        sys.exit("torch_peer: " + args.kind + " needs a text file")
    {"train": train, "sample": sample, "matmul": matmul}[args.kind](args)


if __name__ == "__main__":
    main()
