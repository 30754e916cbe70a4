# A by-hand cross-check of Descent's Rprop and ASGD against PyTorch 1.13 (not part of
# test.sh: it needs Debian's python3-torch, which is huge). Run:
#   /usr/bin/python3 tests/reference/torch_rprop_asgd.py build/native/descent
# Prints, per method, surface and settings, the largest relative difference of the path
# over 300 steps; exits 1 if any exceeds 1e-9. Torch 1.13 keeps ASGD's eta and mu as
# tensors of the default dtype, so the default dtype is float64 here (torch's float32
# default would round eta to float32 and differ from torch's own float64 arithmetic).
import json, math, subprocess, sys
import torch
torch.set_default_dtype(torch.float64)
CLI = sys.argv[1]
K = 300
SURFACES = {
    'quadratic': ((-4.0, 1.5), lambda x, y: 0.5 * (x ** 2 + 10 * y ** 2)),
    'rosenbrock': ((-1.5, 2.0), lambda x, y: (1 - x) ** 2 + 100 * (y - x ** 2) ** 2),
}
CASES = [
    ('rprop', lambda p: torch.optim.Rprop(p)),
    ('rprop:lr=0.05,eta_minus=0.3,eta_plus=1.5,step_min=0.001,step_max=0.2',
     lambda p: torch.optim.Rprop(p, lr=0.05, etas=(0.3, 1.5), step_sizes=(0.001, 0.2))),
    ('rprop:maximize=true', lambda p: torch.optim.Rprop(p, maximize=True)),
    ('asgd', lambda p: torch.optim.ASGD(p)),
    ('asgd:lr=0.001,lambd=0.01,alpha=0.5,t0=100,weight_decay=0.1',
     lambda p: torch.optim.ASGD(p, lr=0.001, lambd=0.01, alpha=0.5, t0=100, weight_decay=0.1)),
    ('asgd:lr=0.002,t0=0', lambda p: torch.optim.ASGD(p, lr=0.002, t0=0)),
]

def rel(a, b):  # a from Descent's JSON (null once diverged), b from torch
    if a is None or not math.isfinite(b):
        return 0.0 if a is None and not math.isfinite(b) else math.inf
    return abs(a - b) / abs(b) if b != 0 else abs(a)

worst_all = 0.0
for surface, (start, f) in SURFACES.items():
    for spec, make in CASES:
        p = torch.tensor(start, requires_grad=True)
        opt = make([p])
        xs, ys = [], []
        for _ in range(K):
            opt.zero_grad()
            f(p[0], p[1]).backward()
            opt.step()
            xs.append(p[0].item()); ys.append(p[1].item())
        out = subprocess.run([CLI, 'run', '--surface', surface, '--start', f'{start[0]},{start[1]}',
                              '--optimizer', spec, '--steps', str(K), '--format', 'json'],
                             capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        r = json.loads(out.stdout)['runs'][0]
        worst = max(max(rel(a, b) for a, b in zip(r['x'][1:], xs)),
                    max(rel(a, b) for a, b in zip(r['y'][1:], ys)))
        worst_all = max(worst_all, worst)
        print(f'{surface:10s} {spec:70s} worst relative difference {worst:.3g}')
print(f'worst over all: {worst_all:.3g}')
sys.exit(0 if worst_all <= 1e-9 else 1)
