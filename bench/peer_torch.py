"""PyTorch peer for `gan-lens bench`: the same GAN, configuration and measurement as ours.

Prints one JSON object: steps/s over repeated timed runs, and whether the run learned
(analytic JSD of the push-forward q against the bimodal target, and q's mass per mode).
Run with Debian's interpreter: /usr/bin/python3 bench/peer_torch.py --hidden 32 --batch 256
"""
import argparse
import json
import math
import statistics
import time

import torch

torch.set_num_threads(1)  # more threads are slower on a 2-core machine for nets this small

MEANS, STD = (-2.0, 2.0), 0.5


def mlp(inputs, hidden):
    return torch.nn.Sequential(
        torch.nn.Linear(inputs, hidden), torch.nn.LeakyReLU(0.2),
        torch.nn.Linear(hidden, hidden), torch.nn.LeakyReLU(0.2),
        torch.nn.Linear(hidden, 1),
    )


def sample_data(n, gen):
    mode = torch.randint(0, 2, (n, 1), generator=gen).float()
    return (mode * 4.0 - 2.0) + STD * torch.randn(n, 1, generator=gen)


def log_p(x):
    comps = [-0.5 * ((x - m) / STD) ** 2 - math.log(STD * math.sqrt(2 * math.pi)) + math.log(0.5) for m in MEANS]
    return torch.logsumexp(torch.stack(comps), dim=0)


def evaluate(g):
    """JSD(P‖Q) with q from 20,000 latent quantiles binned on a 512-point grid (like ours)."""
    with torch.no_grad():
        u = (torch.arange(20000, dtype=torch.float64) + 0.5) / 20000
        z = math.sqrt(2) * torch.erfinv(2 * u - 1)
        xs = g(z.float().unsqueeze(1)).double().squeeze(1)
    lo, hi = min(-6.0, xs.min().item()), max(6.0, xs.max().item())
    edges = torch.linspace(lo, hi, 513, dtype=torch.float64)
    dx = edges[1] - edges[0]
    q = torch.histc(xs, bins=512, min=lo, max=hi) / 20000 / dx
    centres = (edges[:-1] + edges[1:]) / 2
    p = log_p(centres).exp()
    m = (p + q) / 2
    kl = lambda a: torch.where(a > 0, a * (a.clamp_min(1e-300) / m.clamp_min(1e-300)).log(), torch.zeros_like(a)).sum() * dx
    jsd = 0.5 * (kl(p) + kl(q)).item()
    left = (xs < 0).double().mean().item()
    return jsd, left


def run(hidden, batch, steps, seed):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    g, d = mlp(1, hidden), mlp(1, hidden)
    opt_g = torch.optim.Adam(g.parameters(), lr=1e-3, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), lr=1e-3, betas=(0.5, 0.999))
    softplus = torch.nn.functional.softplus

    def step():
        real = sample_data(batch, gen)
        fake = g(torch.randn(batch, 1, generator=gen))
        v = d(torch.cat([real, fake.detach()]))
        loss_d = softplus(-v[:batch]).mean() + softplus(v[batch:]).mean()
        opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        opt_d.step()
        loss_g = softplus(-d(g(torch.randn(batch, 1, generator=gen)))).mean()
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()

    for _ in range(20):
        step()
    started = time.perf_counter()
    for _ in range(steps):
        step()
    seconds = time.perf_counter() - started
    return steps / seconds, g


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--hidden', type=int, default=32)
    parser.add_argument('--batch', type=int, default=256)
    parser.add_argument('--steps', type=int, default=1000)
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--learn-steps', type=int, default=3000)
    args = parser.parse_args()
    rates = [run(args.hidden, args.batch, args.steps, seed)[0] for seed in range(1, args.repeats + 1)]
    _, g = run(args.hidden, args.batch, args.learn_steps, 1)
    jsd, left = evaluate(g)
    print(json.dumps({
        'engine': f'PyTorch {torch.__version__} (1 thread)',
        'stepsPerSecond': {'median': statistics.median(rates), 'min': min(rates), 'max': max(rates), 'runs': rates},
        'learned': {'steps': args.learn_steps + 20, 'jsd': jsd, 'leftModeMass': left},
    }))


if __name__ == '__main__':
    main()
