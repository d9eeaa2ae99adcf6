"""PyTorch peer for `gan-lens bench`: the same GAN, configuration and measurement as ours.

Prints one JSON object: steps/s over repeated timed runs, and whether the run learned.
--data-dim 1 (the default): 1→h→h→1 networks on the bimodal target; learned is the JSD of q
(latent quantiles binned) against p, and q's mass left of 0.
--data-dim 2: 2→h→h→2 and 2→h→h→1 on the ring of 8 (radius 2, std 0.2); learned is the JSD on
the 128² lattice (q from the 256² latent quantile lattice by cloud-in-cell, p's exact cell
masses), and the modes covered (half a mode's weight within 3 std of its mean), like ours.
--loss ns (the default): the non-saturating GAN, Adam 1e-3 β = (0.5, 0.999), one critic step.
--loss wgan-gp: examples/wgan-gp.gan.ts, WGAN-GP with the one-sided penalty λ = 10, five
critic steps per step (each on a fresh batch and fresh interpolation weights), Adam β = (0.5,
0.9) at 1e-3 for the critic and 3e-4 for the generator; the penalty's input gradient by
torch.autograd.grad(create_graph=True), as PyTorch implementations of WGAN-GP write it.
Run with Debian's interpreter: /usr/bin/python3 bench/peer_torch.py --hidden 32 --batch 256
"""
import argparse
import json
import math
import os
import statistics
import time

# One thread for the BLAS too: OpenBLAS and BLIS start their own threads, which torch.set_num_threads
# does not reach in a build against the generic BLAS interface (Debian's).
for variable in ('OPENBLAS_NUM_THREADS', 'BLIS_NUM_THREADS', 'OMP_NUM_THREADS'):
    os.environ[variable] = '1'

import torch  # noqa: E402 (after the thread settings, which the BLAS reads when it loads)

torch.set_num_threads(1)  # more threads are slower on a 2-core machine for nets this small

MEANS, STD = (-2.0, 2.0), 0.5
RING_MODES, RING_RADIUS, RING_STD = 8, 2.0, 0.2
RING_MEANS = torch.tensor([[RING_RADIUS * math.cos(2 * math.pi * k / RING_MODES), RING_RADIUS * math.sin(2 * math.pi * k / RING_MODES)]
                           for k in range(RING_MODES)], dtype=torch.float64)
LATTICE_SIDE, LATENT_SIDE = 128, 256


def mlp(inputs, hidden, outputs=1):
    return torch.nn.Sequential(
        torch.nn.Linear(inputs, hidden), torch.nn.LeakyReLU(0.2),
        torch.nn.Linear(hidden, hidden), torch.nn.LeakyReLU(0.2),
        torch.nn.Linear(hidden, outputs),
    )


def sample_data(n, gen, dim=1):
    if dim == 2:
        mode = torch.randint(0, RING_MODES, (n,), generator=gen)
        return RING_MEANS.float()[mode] + RING_STD * torch.randn(n, 2, generator=gen)
    mode = torch.randint(0, 2, (n, 1), generator=gen).float()
    return (mode * 4.0 - 2.0) + STD * torch.randn(n, 1, generator=gen)


def normal_quantiles(m):
    u = (torch.arange(m, dtype=torch.float64) + 0.5) / m
    return math.sqrt(2) * torch.erfinv(2 * u - 1)


def log_p(x):
    comps = [-0.5 * ((x - m) / STD) ** 2 - math.log(STD * math.sqrt(2 * math.pi)) + math.log(0.5) for m in MEANS]
    return torch.logsumexp(torch.stack(comps), dim=0)


def evaluate(g):
    """JSD(P‖Q) with q from 20,000 latent quantiles binned on a 512-point grid (like ours)."""
    with torch.no_grad():
        z = normal_quantiles(20000)
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


def axis(lo, hi, values):
    """Our lattice axis: the target's extent (8 std), widened to G's points up to 3× its width, padded 5%."""
    width = hi - lo
    lo = max(lo - width, min(lo, values.min().item()))
    hi = min(hi + width, max(hi, values.max().item()))
    pad = 0.05 * (hi - lo)
    return lo - pad, hi + pad


def evaluate_2d(g):
    """JSD(P‖Q) on the 128² lattice and the modes covered, from G on the 256² latent quantile lattice."""
    z = normal_quantiles(LATENT_SIDE)
    latent = torch.stack([z.repeat(LATENT_SIDE), z.repeat_interleave(LATENT_SIDE)], dim=1)
    with torch.no_grad():
        xs = g(latent.float()).double()
    n, side = xs.shape[0], LATTICE_SIDE
    extent = RING_RADIUS + 8 * RING_STD
    axes = [axis(-extent, extent, xs[:, k]) for k in (0, 1)]
    # Cloud-in-cell onto the cell centres; weight beyond the outermost centres is outside.
    q = torch.zeros(side * side, dtype=torch.float64)
    u = [(xs[:, k] - axes[k][0]) / ((axes[k][1] - axes[k][0]) / side) - 0.5 for k in (0, 1)]
    i0 = [t.floor() for t in u]
    frac = [t - i for t, i in zip(u, i0)]
    for dx in (0, 1):
        for dy in (0, 1):
            ix, iy = i0[0].long() + dx, i0[1].long() + dy
            w = (frac[0] if dx else 1 - frac[0]) * (frac[1] if dy else 1 - frac[1])
            ok = (ix >= 0) & (ix < side) & (iy >= 0) & (iy < side)
            q.index_add_(0, (ix + side * iy)[ok], w[ok] / n)
    # p: exact cell masses of the isotropic components, products of Φ differences.
    cdf = lambda t: 0.5 * (1 + torch.erf(t / math.sqrt(2)))
    edges = [torch.linspace(a[0], a[1], side + 1, dtype=torch.float64) for a in axes]
    p = torch.zeros(side, side, dtype=torch.float64)
    for mean in RING_MEANS:
        mx = cdf((edges[0] - mean[0]) / RING_STD).diff()
        my = cdf((edges[1] - mean[1]) / RING_STD).diff()
        p += torch.outer(my, mx) / RING_MODES
    p = torch.cat([p.flatten(), (1 - p.sum()).clamp_min(0).unsqueeze(0)])
    q = torch.cat([q, (1 - q.sum()).clamp_min(0).unsqueeze(0)])
    m = (p + q) / 2
    kl = lambda a: torch.where(a > 0, a * (a.clamp_min(1e-300) / m.clamp_min(1e-300)).log(), torch.zeros_like(a)).sum()
    jsd = 0.5 * (kl(p) + kl(q)).item()
    near = ((xs.unsqueeze(1) - RING_MEANS.unsqueeze(0)) ** 2).sum(-1) <= (3 * RING_STD) ** 2
    covered = int((near.double().mean(0) >= 0.5 / RING_MODES).sum().item())
    return jsd, covered


CRITIC_STEPS, PENALTY = 5, 10.0


def wgan_gp_step(g, d, opt_g, opt_d, batch, gen, dim):
    """One step of examples/wgan-gp.gan.ts: five critic updates with the one-sided penalty, one generator update."""
    for _ in range(CRITIC_STEPS):
        real = sample_data(batch, gen, dim)
        fake = g(torch.randn(batch, dim, generator=gen)).detach()
        eps = torch.rand(batch, 1, generator=gen)
        x_hat = (eps * real + (1 - eps) * fake).requires_grad_(True)
        slope, = torch.autograd.grad(d(x_hat).sum(), x_hat, create_graph=True)
        penalty = (slope.norm(2, dim=1) - 1).clamp_min(0).pow(2).mean()
        v = d(torch.cat([real, fake]))
        loss_d = v[batch:].mean() - v[:batch].mean() + PENALTY * penalty
        opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        opt_d.step()
    loss_g = -d(g(torch.randn(batch, dim, generator=gen))).mean()
    opt_g.zero_grad(set_to_none=True)
    loss_g.backward()
    opt_g.step()


# Long enough for the fused engine's second thread to start and its code to be optimised.
WARM_UP_SECONDS = 0.25


def run(hidden, batch, steps, seed, dim=1, loss='ns', warm_up_seconds=WARM_UP_SECONDS):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    g, d = mlp(dim, hidden, dim), mlp(dim, hidden)
    if loss == 'wgan-gp':
        opt_g = torch.optim.Adam(g.parameters(), lr=3e-4, betas=(0.5, 0.9))
        opt_d = torch.optim.Adam(d.parameters(), lr=1e-3, betas=(0.5, 0.9))
    else:
        opt_g = torch.optim.Adam(g.parameters(), lr=1e-3, betas=(0.5, 0.999))
        opt_d = torch.optim.Adam(d.parameters(), lr=1e-3, betas=(0.5, 0.999))
    softplus = torch.nn.functional.softplus

    def ns_step():
        real = sample_data(batch, gen, dim)
        fake = g(torch.randn(batch, dim, generator=gen))
        v = d(torch.cat([real, fake.detach()]))
        loss_d = softplus(-v[:batch]).mean() + softplus(v[batch:]).mean()
        opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        opt_d.step()
        loss_g = softplus(-d(g(torch.randn(batch, dim, generator=gen)))).mean()
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()

    step = (lambda: wgan_gp_step(g, d, opt_g, opt_d, batch, gen, dim)) if loss == 'wgan-gp' else ns_step
    # Warm-up as GAN Lens's side does it: 20 steps and at least warm_up_seconds.
    warm = time.perf_counter()
    done = 0
    while done < 20 or time.perf_counter() - warm < warm_up_seconds:
        step()
        done += 1
    started = time.perf_counter()
    for _ in range(steps):
        step()
    seconds = time.perf_counter() - started
    return steps / seconds, g


def blas_library():
    """The BLAS this process loaded: Debian's python3-torch multiplies through whichever libblas.so.3
    the alternatives system points to, the reference (netlib) one unless OpenBLAS or BLIS is installed."""
    with open('/proc/self/maps') as maps:
        names = sorted({line.split()[-1].rsplit('/', 1)[-1] for line in maps if 'blas' in line.split()[-1].rsplit('/', 1)[-1].lower()})
    if not names:
        return 'unknown'
    if any('openblas' in n for n in names):
        return 'OpenBLAS'
    if any('blis' in n for n in names):
        return 'BLIS'
    return 'reference BLAS' if any(n.startswith('libblas.so') for n in names) else ', '.join(names)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--hidden', type=int, default=32)
    parser.add_argument('--batch', type=int, default=256)
    parser.add_argument('--steps', type=int, default=1000)
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--learn-steps', type=int, default=3000)
    parser.add_argument('--data-dim', type=int, choices=(1, 2), default=1)
    parser.add_argument('--loss', choices=('ns', 'wgan-gp'), default='ns')
    args = parser.parse_args()
    dim = args.data_dim
    rates = [run(args.hidden, args.batch, args.steps, seed, dim, args.loss)[0] for seed in range(1, args.repeats + 1)]
    # The learning run trains exactly 20 + learn_steps steps, as reported.
    _, g = run(args.hidden, args.batch, args.learn_steps, 1, dim, args.loss, warm_up_seconds=0)
    if dim == 2:
        jsd, covered = evaluate_2d(g)
        learned = {'steps': args.learn_steps + 20, 'jsd': jsd, 'modesCovered': covered, 'modes': RING_MODES}
    else:
        jsd, left = evaluate(g)
        learned = {'steps': args.learn_steps + 20, 'jsd': jsd, 'leftModeMass': left}
    print(json.dumps({
        'engine': f'PyTorch {torch.__version__} (1 thread)',
        'blas': blas_library(),
        'stepsPerSecond': {'median': statistics.median(rates), 'min': min(rates), 'max': max(rates), 'runs': rates},
        'learned': learned,
    }))


if __name__ == '__main__':
    main()
