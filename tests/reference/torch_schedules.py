# A by-hand cross-check of Descent's learning-rate schedules against PyTorch (not part of
# test.sh: it needs python3-torch, which is huge). Run: /usr/bin/python3 tests/reference/torch_schedules.py build/native/descent
# Prints, per schedule, the largest relative difference of the rates and of the path over 300 steps.
import json, subprocess, sys, math
import torch
from torch.optim import lr_scheduler as L
CLI = sys.argv[1]
K = 300
def run(descent, make_opt, make_sched, plateau=False):
    p = torch.tensor([-4.0, 1.5], dtype=torch.float64, requires_grad=True)
    opt = make_opt([p])
    sch = make_sched(opt)
    lrs, xs, ys = [], [], []
    for t in range(1, K + 1):
        opt.zero_grad()
        loss = 0.5 * (p[0] ** 2 + 10 * p[1] ** 2)
        loss.backward()
        lrs.append(opt.param_groups[0]['lr'])
        opt.step()
        xs.append(p[0].item()); ys.append(p[1].item())
        if plateau: sch.step(loss.item())
        else: sch.step()
    out = subprocess.run([CLI, 'run', '--surface', 'quadratic', '--start', '-4,1.5', '--optimizer', descent,
                          '--steps', str(K), '--format', 'json'], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    r = json.loads(out.stdout)['runs'][0]
    def rel(a, b):
        return abs(a - b) / max(abs(b), 1e-300) if b != 0 else abs(a)
    elr = max(rel(a, b) for a, b in zip(r['lr'], lrs))
    ex = max(max(rel(a, b) for a, b in zip(r['x'][1:], xs)), max(rel(a, b) for a, b in zip(r['y'][1:], ys)))
    print(f"{descent:90s} lr rel {elr:.2e}  path rel {ex:.2e}")
    return elr, ex
S = torch.optim.SGD
A = torch.optim.Adam
cases = [
 ('sgd:lr=0.05@step:step_size=30,gamma=0.5', lambda ps: S(ps, lr=0.05), lambda o: L.StepLR(o, 30, 0.5)),
 ('sgd:lr=0.05@multistep:milestones=30/80/200', lambda ps: S(ps, lr=0.05), lambda o: L.MultiStepLR(o, [30, 80, 200])),
 ('adam:lr=0.1@exponential:gamma=0.99', lambda ps: A(ps, lr=0.1), lambda o: L.ExponentialLR(o, 0.99)),
 ('adam:lr=0.1@cosine:T_max=100,eta_min=0.0001', lambda ps: A(ps, lr=0.1), lambda o: L.CosineAnnealingLR(o, 100, 1e-4)),
 ('adam:lr=0.1@cosine:T_max=37', lambda ps: A(ps, lr=0.1), lambda o: L.CosineAnnealingLR(o, 37)),
 ('sgd:lr=0.05@cosine_restarts:T_0=10,T_mult=2,eta_min=0.001', lambda ps: S(ps, lr=0.05), lambda o: L.CosineAnnealingWarmRestarts(o, 10, 2, 0.001)),
 ('sgd:lr=0.05@linear', lambda ps: S(ps, lr=0.05), lambda o: L.LinearLR(o)),
 ('sgd:lr=0.05@constant', lambda ps: S(ps, lr=0.05), lambda o: L.ConstantLR(o)),
 ('sgd:lr=0.05@polynomial:total_iters=200,power=2', lambda ps: S(ps, lr=0.05), lambda o: L.PolynomialLR(o, 200, 2.0)),
 ('momentum:lr=0.01@onecycle:max_lr=0.05,total_steps=300', lambda ps: S(ps, lr=0.01, momentum=0.9), lambda o: L.OneCycleLR(o, 0.05, total_steps=300)),
 ('adam@onecycle:max_lr=0.1,total_steps=300,three_phase=true,anneal_strategy=linear', lambda ps: A(ps), lambda o: L.OneCycleLR(o, 0.1, total_steps=300, three_phase=True, anneal_strategy='linear')),
 ('momentum:lr=0.01@cyclic:base_lr=0.001,max_lr=0.05,step_size_up=20,mode=triangular2', lambda ps: S(ps, lr=0.01, momentum=0.9), lambda o: L.CyclicLR(o, 0.001, 0.05, step_size_up=20, mode='triangular2')),
 ('momentum:lr=0.01@cyclic:base_lr=0.001,max_lr=0.05,step_size_up=10,step_size_down=30,mode=exp_range,gamma=0.995', lambda ps: S(ps, lr=0.01, momentum=0.9), lambda o: L.CyclicLR(o, 0.001, 0.05, step_size_up=10, step_size_down=30, mode='exp_range', gamma=0.995)),
 ('sgd:lr=0.21@plateau:patience=3,cooldown=2,factor=0.5', lambda ps: S(ps, lr=0.21), lambda o: L.ReduceLROnPlateau(o, patience=3, cooldown=2, factor=0.5), True),
 ('adam:lr=0.1@linear:start_factor=0.1,total_iters=20+cosine:T_max=280,eta_min=0.0001', lambda ps: A(ps, lr=0.1), lambda o: L.SequentialLR(o, [L.LinearLR(o, 0.1, total_iters=20), L.CosineAnnealingLR(o, 280, 1e-4)], [20])),
]
worst = 0
for c in cases:
    e = run(c[0], c[1], c[2], len(c) > 3)
    worst = max(worst, *e)
print("worst", worst)
