"""Generates cr-reference.json: correctly rounded float64 log/sin/cos reference values for correctlyRounded.test.ts.

Run (from this folder):  python3 make-cr-reference.py [WC_DIR]

- References are computed with mpmath at 320 bits, checked against a second evaluation at 640 bits, and rounded to
  the nearest double exactly (via fractions.Fraction, whose float() is correctly rounded).
- Inputs: random doubles over the whole range, uniform (0, 1) (what randn feeds to log), values near 1, powers of
  two, subnormals, huge values, |x| < 100 and neighbourhoods of multiples of pi/2 for sin/cos, tiny arguments, the
  worst case of argument reduction (6381956970095103 * 2**797), inputs where V8's Math.log/Math.sin/Math.cos are
  wrong (found by running node on a pool of candidates; skipped if node is missing), and, if WC_DIR is given,
  a deterministic sample of the hard-to-round cases listed in the CORE-MATH project's
  src/binary64/{log,sin,cos}/{log,sin,cos}.wc (taken from V. Lefèvre's worst-case searches).
- The output is deterministic for a given WC_DIR (fixed random seed). It is then formatted with the repository's
  Biome (`npx biome format --write cr-reference.json`, run by this script when npx is available) so `biome check`
  passes on it.
"""
import json
import math
import os
import random
import struct
import subprocess
import sys
from fractions import Fraction

import mpmath
from mpmath import mp, mpf


def to_double(v):
    """Round an mpf to the nearest double (ties to even), exactly."""
    sign, man, exp, _ = v._mpf_
    if man == 0:
        return 0.0
    frac = Fraction(man * 2**exp) if exp >= 0 else Fraction(man, 2**-exp)
    d = float(frac)
    return -d if sign else d


def ref(fn, x):
    out = []
    for prec in (320, 640):
        mp.prec = prec
        out.append(to_double(fn(mpf(x))))
    assert out[0] == out[1] or (math.isnan(out[0]) and math.isnan(out[1])), (fn, x)
    return out[0]


def from_bits(b):
    return struct.unpack("<d", struct.pack("<Q", b))[0]


rng = random.Random(20240601)


def random_positive_double():
    while True:
        x = from_bits(rng.getrandbits(63))
        if math.isfinite(x) and x > 0:
            return x


def ulp_steps(x, n):
    """x and its n neighbours on each side."""
    out = []
    b = struct.unpack("<Q", struct.pack("<d", x))[0]
    for k in range(-n, n + 1):
        out.append(from_bits(b + k))
    return out


def read_wc(wc_dir, name, count):
    if not wc_dir:
        return []
    path = os.path.join(wc_dir, name + ".wc")
    xs = []
    with open(path) as f:
        for line in f:
            tok = line.split("#")[0].strip()
            if not tok.startswith(("0x", "-0x", "+0x")):
                continue
            try:
                x = float.fromhex(tok.split()[0])
            except ValueError:
                continue
            if math.isfinite(x) and x != 0:
                xs.append(x)
    step = max(1, len(xs) // count)
    return xs[::step][:count]


def math_wrong(kind, pool, refs, limit):
    """Inputs of the pool where node's Math.<kind> differs from the correctly rounded reference."""
    script = (
        "const d=JSON.parse(require('fs').readFileSync(0,'utf8'));"
        "const f=Math[d.kind];"
        "console.log(JSON.stringify(d.xs.map((x,i)=>f(x)!==d.ys[i])));"
    )
    try:
        res = subprocess.run(
            ["node", "-e", script], input=json.dumps({"kind": kind, "xs": pool, "ys": refs}), capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return []
    flags = json.loads(res.stdout)
    return [x for x, bad in zip(pool, flags) if bad][:limit]


def main():
    wc_dir = sys.argv[1] if len(sys.argv) > 1 else ""

    # ---- log
    log_x = []
    log_x += [rng.random() for _ in range(400)]
    log_x += [random_positive_double() for _ in range(300)]
    log_x += [rng.uniform(0.5, 2.0) for _ in range(200)]
    log_x += ulp_steps(1.0, 30)
    log_x += [1 + 2.0**-n for n in range(1, 53)] + [1 - 2.0**-n for n in range(1, 54)]
    log_x += [2.0**e for e in range(-1074, 1024, 7)]
    log_x += [from_bits(rng.getrandbits(52)) for _ in range(40)]  # subnormals
    log_x += [5e-324, 2.2250738585072014e-308, 2.225073858507201e-308, 1.7976931348623157e308, 10.0, math.e, 0.1]
    log_x += read_wc(wc_dir, "log", 700)
    pool = [rng.random() for _ in range(6000)]
    pool_ref = [ref(mpmath.log, x) for x in pool]
    log_x += math_wrong("log", pool, pool_ref, 200)
    log_x = sorted(set(x for x in log_x if x > 0 and x != 1.0))
    log_rows = [[x, ref(mpmath.log, x)] for x in log_x]

    # ---- sin / cos
    trig_x = []
    trig_x += [rng.uniform(-100, 100) for _ in range(500)]
    trig_x += [rng.uniform(-4, 4) for _ in range(200)]
    trig_x += [rng.uniform(-20, 20) for _ in range(200)]
    for k in range(1, 65):
        trig_x += ulp_steps(float(mpf(k) * mp.pi / 2), 2)
    trig_x += [2.0**-e for e in range(20, 40)] + [1.5 * 2.0**-e for e in range(20, 40)]
    trig_x += [from_bits(rng.getrandbits(52)) for _ in range(10)]  # subnormals
    trig_x += [random_positive_double() for _ in range(150)]
    trig_x += [6381956970095103 * 2.0**797, 1e22, 1.7976931348623157e308, 2.0**20, 2.0**20 - 1, 1048575.9999999999]
    trig_x += [0.7853981633974483, 0.78, 0.7799999999999999, 0.7853981633974484]
    trig_x += read_wc(wc_dir, "sin", 500) + read_wc(wc_dir, "cos", 500)
    pool = [rng.uniform(-20, 20) for _ in range(3000)]
    pool_sin = [ref(mpmath.sin, x) for x in pool]
    pool_cos = [ref(mpmath.cos, x) for x in pool]
    trig_x += math_wrong("sin", pool, pool_sin, 150) + math_wrong("cos", pool, pool_cos, 150)
    trig_x += [-x for x in trig_x[::7]]
    trig_x = sorted(set(x for x in trig_x if x != 0))
    trig_rows = [[x, ref(mpmath.sin, x), ref(mpmath.cos, x)] for x in trig_x]

    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cr-reference.json")
    with open(out, "w") as f:
        json.dump(
            {
                "about": "correctly rounded float64 references (mpmath at 320 and 640 bits, exact final rounding); made by make-cr-reference.py",
                "log": log_rows,
                "sincos": trig_rows,
            },
            f,
            separators=(",", ":"),
        )
    try:
        subprocess.run(["npx", "biome", "format", "--write", out], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        print("note: could not run `npx biome format --write` on", out)
    print(len(log_rows), "log rows,", len(trig_rows), "sin/cos rows")


if __name__ == "__main__":
    main()
