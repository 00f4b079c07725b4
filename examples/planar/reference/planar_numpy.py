"""A float64 numpy reference for examples/planar: the course's week-3 algorithm, written as the course writes it.

Not run in CI (needs python3 + numpy). Usage, from the repository root:

    python3 examples/planar/reference/planar_numpy.py                     # print the numpy results
    python3 examples/planar/reference/planar_numpy.py --write-datasets    # regenerate extra-datasets.json (test fixture)
    node examples/planar/dist/main.js --json > /tmp/ours.json
    python3 examples/planar/reference/planar_numpy.py --compare /tmp/ours.json   # digit-by-digit comparison

The two-layer net is the course's forward_propagation / compute_cost / backward_propagation / update_parameters
(closed-form gradients, np.tanh, sigmoid = 1 / (1 + exp(-z))), initialised with np.random.seed(2) as the course does.
The logistic-regression baseline is plain gradient descent from zeros at the step 1/L (sklearn's LogisticRegressionCV
is not used).
The extra data sets are sklearn's make_circles / make_moons / make_blobs / make_gaussian_quantiles algorithms
without the final shuffle, as examples/planar/src/sklearnLike.ts implements them.
"""

import argparse
import json
import math
import os
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


# ---- data ------------------------------------------------------------------------------------------------------

def load_planar_dataset(seed=1):
    np.random.seed(seed)
    m = 400
    N = int(m / 2)
    D = 2
    X = np.zeros((m, D))
    Y = np.zeros((m, 1), dtype="uint8")
    a = 4
    for j in range(2):
        ix = range(N * j, N * (j + 1))
        t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + np.random.randn(N) * 0.2
        r = a * np.sin(4 * t) + np.random.randn(N) * 0.2
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[ix] = j
    return X.T, Y.T.astype(np.float64)


def make_circles(n_samples, factor, noise, rs):
    n_out = n_samples // 2
    n_in = n_samples - n_out
    lin_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    lin_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    X = np.vstack([np.append(np.cos(lin_out), np.cos(lin_in) * factor),
                   np.append(np.sin(lin_out), np.sin(lin_in) * factor)]).T
    y = np.hstack([np.zeros(n_out, dtype=np.intp), np.ones(n_in, dtype=np.intp)])
    X += rs.normal(scale=noise, size=X.shape)
    return X, y


def make_moons(n_samples, noise, rs):
    n_out = n_samples // 2
    n_in = n_samples - n_out
    outer_x = np.cos(np.linspace(0, np.pi, n_out))
    outer_y = np.sin(np.linspace(0, np.pi, n_out))
    inner_x = 1 - np.cos(np.linspace(0, np.pi, n_in))
    inner_y = 1 - np.sin(np.linspace(0, np.pi, n_in)) - 0.5
    X = np.vstack([np.append(outer_x, inner_x), np.append(outer_y, inner_y)]).T
    y = np.hstack([np.zeros(n_out, dtype=np.intp), np.ones(n_in, dtype=np.intp)])
    X += rs.normal(scale=noise, size=X.shape)
    return X, y


def make_blobs(n_samples, centers, rs, cluster_std=1.0):
    c = rs.uniform(-10.0, 10.0, size=(centers, 2))
    counts = [n_samples // centers] * centers
    for i in range(n_samples % centers):
        counts[i] += 1
    X = np.concatenate([rs.normal(loc=c[i], scale=cluster_std, size=(n, 2)) for i, n in enumerate(counts)])
    y = np.concatenate([[i] * n for i, n in enumerate(counts)]).astype(np.intp)
    return X, y


def make_gaussian_quantiles(n_samples, cov, n_classes, rs):
    mean = np.zeros(2)
    X = rs.multivariate_normal(mean, cov * np.identity(2), (n_samples,))
    idx = np.argsort(np.sum((X - mean[np.newaxis, :]) ** 2, axis=1))
    X = X[idx, :]
    step = n_samples // n_classes
    y = np.hstack([np.repeat(np.arange(n_classes), step), np.repeat(n_classes - 1, n_samples - step * n_classes)])
    return X, y


def extra_datasets():
    N = 200
    sets = {
        "circles": (make_circles(N, 0.5, 0.3, np.random.RandomState(1)), 1),
        "moons": (make_moons(N, 0.2, np.random.RandomState(1)), 1),
        "blobs": (make_blobs(N, 6, np.random.RandomState(5)), 5),
        "quantiles": (make_gaussian_quantiles(N, 0.5, 2, np.random.RandomState(1)), 1),
    }
    out = {}
    for name, ((X, y), seed) in sets.items():
        Y = (y % 2) if name == "blobs" else y  # the course: "make blobs binary"
        out[name] = {"seed": seed, "X": X.T, "Y": Y.reshape(1, -1).astype(np.float64)}
    return out


# ---- the course's two-layer network ------------------------------------------------------------------------------

def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def two_branch_sigmoid(z):
    """σ as @backprop/core computes it: 1/(1 + e^(−z)) for z ≥ 0, e^z/(1 + e^z) below (equal up to rounding)."""
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1 / (1 + np.exp(-z[pos]))
    e = np.exp(z[~pos])
    out[~pos] = e / (1 + e)
    return out


def initialize_parameters(n_x, n_h, n_y, seed=2):
    np.random.seed(seed)
    W1 = np.random.randn(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h) * 0.01
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


def forward_propagation(X, p):
    Z1 = np.dot(p["W1"], X) + p["b1"]
    A1 = np.tanh(Z1)
    Z2 = np.dot(p["W2"], A1) + p["b2"]
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def compute_cost(A2, Y):
    m = Y.shape[1]
    logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)
    return float(-np.sum(logprobs) / m)


def backward_propagation(p, cache, X, Y):
    m = X.shape[1]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dW2 = (1 / m) * np.dot(dZ2, A1.T)
    db2 = (1 / m) * np.sum(dZ2, axis=1, keepdims=True)
    dZ1 = np.multiply(np.dot(p["W2"].T, dZ2), 1 - np.power(A1, 2))
    dW1 = (1 / m) * np.dot(dZ1, X.T)
    db1 = (1 / m) * np.sum(dZ1, axis=1, keepdims=True)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def nn_model(X, Y, n_h, num_iterations, learning_rate=1.2, seed=2):
    p = initialize_parameters(X.shape[0], n_h, Y.shape[0], seed)
    costs = []
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, p)
        costs.append(compute_cost(A2, Y))
        grads = backward_propagation(p, cache, X, Y)
        for k in ("W1", "b1", "W2", "b2"):
            p[k] = p[k] - learning_rate * grads["d" + k]
    return p, costs


def accuracy(predictions, Y):
    # The course's formula: (Y·Pᵀ + (1−Y)·(1−P)ᵀ) / m · 100.
    return float((np.dot(Y, predictions.T) + np.dot(1 - Y, 1 - predictions.T)).item() / float(Y.size) * 100)


def predict(p, X):
    A2, _ = forward_propagation(X, p)
    return (A2 > 0.5).astype(np.float64)


def logistic_learning_rate(X, cap=1.2):
    """1/L with L = λ_max(X̃X̃ᵀ/m)/4 (X̃ = X with a row of ones), capped at 1.2: the step train.ts uses."""
    m = X.shape[1]
    Xt = np.vstack([X, np.ones((1, m))])
    return min(cap, 1 / (0.25 * np.linalg.eigvalsh(Xt @ Xt.T / m).max()))


def logistic_regression(X, Y, iterations=1000):
    m = X.shape[1]
    learning_rate = logistic_learning_rate(X)
    w = np.zeros((X.shape[0], 1))
    b = 0.0
    for _ in range(iterations):
        A = sigmoid(np.dot(w.T, X) + b)
        dw = (1 / m) * np.dot(X, (A - Y).T)
        db = (1 / m) * np.sum(A - Y)
        w = w - learning_rate * dw
        b = b - learning_rate * db
    return accuracy((sigmoid(np.dot(w.T, X) + b) > 0.5).astype(np.float64), Y)


def run():
    X, Y = load_planar_dataset()
    start = time.perf_counter()
    p, costs = nn_model(X, Y, 4, 10000)
    main = {
        "nH": 4,
        "iterations": 10000,
        "learningRate": 1.2,
        "costs": {str(i): costs[i] for i in range(0, 10000, 1000)},
        "accuracy": accuracy(predict(p, X), Y),
        "seconds": time.perf_counter() - start,
    }
    sweep = []
    for n_h in (1, 2, 3, 4, 5, 20, 50):
        start = time.perf_counter()
        p, _ = nn_model(X, Y, n_h, 5000)
        sweep.append({"nH": n_h, "iterations": 5000, "accuracy": accuracy(predict(p, X), Y),
                      "seconds": time.perf_counter() - start})
    return {"main": main, "sweep": sweep, "logisticRegression": {"accuracy": logistic_regression(X, Y)}}


# ---- comparison ---------------------------------------------------------------------------------------------------

def matching_digits(a, b):
    """Significant decimal digits on which a and b agree (17 when equal as float64)."""
    if a == b:
        return 17
    return max(0, int(math.floor(-math.log10(abs(a - b) / abs(b)))))


def compare(ours_path, ref):
    with open(ours_path) as f:
        ours = json.load(f)
    print("main run (n_h = 4, 10,000 iterations, lr 1.2): cost before the update of iteration i")
    print(f"{'i':>6}  {'numpy (float64)':>22}  {'backprop':>22}  {'|diff|':>9}  {'digits':>6}  {'6 sig. same':>11}")
    for i, ref_cost in ref["main"]["costs"].items():
        our_cost = ours["main"]["costs"][i]
        same6 = f"{ref_cost:.6g}" == f"{our_cost:.6g}"
        print(f"{i:>6}  {ref_cost!r:>22}  {our_cost!r:>22}  {abs(ref_cost - our_cost):9.2e}  "
              f"{matching_digits(our_cost, ref_cost):>6}  {'yes' if same6 else 'NO':>11}")
    print(f"accuracy: numpy {ref['main']['accuracy']}%, backprop {ours['main']['accuracy']}%")
    print("sweep (5,000 iterations): training accuracy")
    for r, o in zip(ref["sweep"], ours.get("sweep", [])):
        print(f"  n_h = {r['nH']:>2}: numpy {r['accuracy']:6.2f}%  backprop {o['accuracy']:6.2f}%"
              f"  {'same' if r['accuracy'] == o['accuracy'] else 'DIFFERENT'}")
    lr_ref, lr_ours = ref["logisticRegression"]["accuracy"], ours["logisticRegression"]["accuracy"]
    print(f"logistic regression: numpy {lr_ref}%, backprop {lr_ours}%")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--compare", metavar="OURS_JSON", help="output of `node examples/planar/dist/main.js --json`")
    parser.add_argument("--write-datasets", action="store_true", help="write reference/extra-datasets.json")
    parser.add_argument("--write-results", action="store_true", help="write reference/numpy-results.json")
    parser.add_argument("--two-branch-sigmoid", action="store_true",
                        help="compute σ as core does (a rounding-level change: shows which digits are chaotic)")
    args = parser.parse_args()
    fixture = os.path.join(HERE, "../../../../shared/fixtures/planar-dataset.json")
    X, Y = load_planar_dataset()
    if os.path.exists(fixture):
        with open(fixture) as f:
            d = json.load(f)
        same = np.array_equal(X.ravel(), d["X"]["data"]) and np.array_equal(Y.ravel(), d["Y"]["data"])
        print(f"flower data set equals shared/fixtures/planar-dataset.json: {same}")
    if args.write_datasets:
        sets = {name: {"seed": s["seed"],
                       "X": {"shape": list(s["X"].shape), "data": s["X"].ravel().tolist()},
                       "Y": {"shape": list(s["Y"].shape), "data": s["Y"].ravel().tolist()}}
                for name, s in extra_datasets().items()}
        with open(os.path.join(HERE, "extra-datasets.json"), "w") as f:
            json.dump({"about": "examples/planar/reference/planar_numpy.py --write-datasets (numpy " + np.__version__
                       + "): sklearn's generators without the shuffle; X (2, 200), Y (1, 200)", **sets}, f)
            f.write("\n")
        print("wrote reference/extra-datasets.json")
        return
    if args.two_branch_sigmoid:
        global sigmoid
        sigmoid = two_branch_sigmoid
    ref = run()
    if args.write_results:
        for r in [ref["main"], *ref["sweep"]]:
            r.pop("seconds")  # machine-dependent: keep the file reproducible
        with open(os.path.join(HERE, "numpy-results.json"), "w") as f:
            json.dump({"about": "examples/planar/reference/planar_numpy.py --write-results (numpy " + np.__version__
                       + ", float64): the course's algorithm on the flower data set", **ref}, f, indent=2)
            f.write("\n")
        print("wrote reference/numpy-results.json")
    elif args.compare:
        compare(args.compare, ref)
    else:
        print(json.dumps(ref, indent=2))


if __name__ == "__main__":
    main()
