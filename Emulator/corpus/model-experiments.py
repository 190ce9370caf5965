"""Is it the model or the features? Two experiments on the labeler corpus (issue 12), under one set of grouped
5-fold CV folds (scikit-learn's GroupKFold on the source groups, not PAM's label-stratified ones):

  1. model families on PAM's own 199 features: L2 logistic regression (PAM's choice), random forest,
     extra trees, gradient-boosted trees;
  2. logistic regression on PAM's features plus richer fast feature blocks computed from the same
     1/8-scale decode (libjpeg's DCT scaling through Pillow's draft mode): HSV colour histograms per
     band, a 4x4 grid of 8-orientation gradient histograms (HOG-like), uniform LBP texture per band,
     and the image reduced to 8x6;
  3. (when jax is installed) a small convolutional network trained from scratch on the photos at 32x24
     (three 3x3 layers of 16/32/32 channels, about 1.7 M multiply-adds a photo: within the labeler's
     speed budget), alone and with PAM's features beside its pooled outputs; random crops and flips,
     Adam, 250 epochs, one network for the 18 labels.

Micro-F1 is taken at one shared threshold chosen on the pooled out-of-fold probabilities, which flatters
every model alike (PAM's own figure, pam eval --folds 5, chooses it inside the training folds).

    pam train --corpus ~/.cache/pam/corpus --truth Fixtures/corpus/labels.json --out /tmp/model.swift \\
        --features-csv /tmp/features.csv
    python3 Emulator/corpus/model-experiments.py ~/.cache/pam/corpus /tmp/features.csv

Needs numpy, scikit-learn and Pillow (pip), and jax for the third. Not part of the tests: an experiment, kept so its figures
(README, the labeler section) can be measured again.
"""
import csv
import os
import sys

import numpy as np
from PIL import Image
from sklearn.ensemble import ExtraTreesClassifier, HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

LABELS = 18


def load(table):
    rows = list(csv.reader(open(table)))[1:]
    features = np.array([[float(v) for v in row[2:-LABELS]] for row in rows])
    truth = np.array([[int(v) for v in row[-LABELS:]] for row in rows])
    return [row[0] for row in rows], features, truth, np.array([row[1] for row in rows])


def out_of_fold(make, X, Y, folds):
    P = np.zeros(Y.shape)
    for train, test in folds:
        for label in range(Y.shape[1]):
            if Y[train, label].sum() == 0:
                continue
            model = make()
            model.fit(X[train], Y[train, label])
            P[test, label] = model.predict_proba(X[test])[:, 1]
    return P


def micro_f1(P, Y):
    """The best micro-F1 over one shared threshold, and that threshold."""
    best = (0.0, 0.0)
    for threshold in np.arange(0.1, 0.9, 0.025):
        predicted = P >= threshold
        tp = (predicted & (Y == 1)).sum()
        wrong = (predicted != (Y == 1)).sum()
        best = max(best, (2 * tp / (2 * tp + wrong), threshold))
    return best


def logistic(C):
    return lambda: make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=3000))


def decoded(path):
    image = Image.open(path)
    image.draft("RGB", (128, 96))
    return np.asarray(image.convert("RGB").resize((128, 96)), dtype=np.float32) / 255


def cells(a, rows, columns):
    height, width = a.shape[:2]
    for i in range(rows):
        for j in range(columns):
            yield a[i * height // rows:(i + 1) * height // rows, j * width // columns:(j + 1) * width // columns]


def luma(a):
    return a @ np.array([0.299, 0.587, 0.114], dtype=np.float32)


def colour_histograms(a):
    r, g, b = a[..., 0], a[..., 1], a[..., 2]
    top, bottom = a.max(-1), a.min(-1)
    spread = top - bottom + 1e-6
    hue = np.where(top == r, ((g - b) / spread) % 6, np.where(top == g, (b - r) / spread + 2, (r - g) / spread + 4)) / 6
    saturated = ((top - bottom) / (top + 1e-6) > 0.25).astype(int)
    values = []
    for band_hue, band_saturated, band_value in zip(cells(hue, 4, 1), cells(saturated, 4, 1), cells(top, 4, 1)):
        slots = np.minimum((band_hue * 12).astype(int), 11) * 2 + band_saturated
        values += list(np.bincount(slots.ravel(), minlength=24) / slots.size)
        values += list(np.bincount(np.minimum((band_value * 4).astype(int), 3).ravel(), minlength=4) / slots.size)
    return values


def gradient_histograms(a):
    l = luma(a)
    dx, dy = np.zeros_like(l), np.zeros_like(l)
    dx[:, 1:-1] = l[:, 2:] - l[:, :-2]
    dy[1:-1] = l[2:] - l[:-2]
    magnitude = np.hypot(dx, dy)
    slot = np.minimum(((np.arctan2(dy, dx) % np.pi) / np.pi * 8).astype(int), 7)
    values = []
    for m, s in zip(cells(magnitude, 4, 4), cells(slot, 4, 4)):
        histogram = np.bincount(s.ravel(), weights=m.ravel(), minlength=8)
        values += list(histogram / (histogram.sum() + 1e-3)) + [m.mean()]
    return values


def local_binary_patterns(a):
    l = luma(a)
    centre = l[1:-1, 1:-1]
    code = np.zeros(centre.shape, int)
    for bit, (dy, dx) in enumerate([(-1, -1), (-1, 0), (-1, 1), (0, 1), (1, 1), (1, 0), (1, -1), (0, -1)]):
        code |= (l[1 + dy:l.shape[0] - 1 + dy, 1 + dx:l.shape[1] - 1 + dx] >= centre + 0.02).astype(int) << bit
    bits = (code[..., None] >> np.arange(8)) & 1
    uniform = np.where((bits != np.roll(bits, 1, -1)).sum(-1) <= 2, bits.sum(-1), 9)
    return [v for band in cells(uniform, 4, 1) for v in np.bincount(band.ravel(), minlength=10) / band.size]


def reduced(a):
    small = Image.fromarray((a * 255).astype(np.uint8)).resize((8, 6), Image.BILINEAR)
    return list((np.asarray(small, dtype=np.float32) / 255).ravel())


def main():
    corpus, table = sys.argv[1], sys.argv[2]
    files, X, Y, groups = load(table)
    folds = list(GroupKFold(n_splits=5).split(X, Y, groups))
    print(f"{len(files)} photos, {len(set(groups))} groups, {X.shape[1]} features")

    print("1. model families on PAM's features")
    families = {
        "logistic regression C=0.1": logistic(0.1),
        "logistic regression C=0.03": logistic(0.03),
        "random forest, 500 trees": lambda: RandomForestClassifier(500, min_samples_leaf=2, n_jobs=2, random_state=0),
        "extra trees, 500 trees": lambda: ExtraTreesClassifier(500, min_samples_leaf=2, n_jobs=2, random_state=0),
        "gradient-boosted trees": lambda: HistGradientBoostingClassifier(
            max_depth=3, learning_rate=0.05, max_iter=200, l2_regularization=1.0, random_state=0),
    }
    for name, make in families.items():
        score, threshold = micro_f1(out_of_fold(make, X, Y, folds), Y)
        print(f"   {name:28} micro-F1 {score:.3f} (threshold {threshold:.3f})", flush=True)

    print("2. logistic regression (C=0.03) on PAM's features plus a richer block")
    blocks = {"HSV colour histograms per band": colour_histograms, "gradient-orientation histograms 4x4": gradient_histograms,
              "uniform LBP per band": local_binary_patterns, "the image at 8x6": reduced}
    values = {name: [] for name in blocks}
    for file in files:
        image = decoded(os.path.join(corpus, file))
        for name, block in blocks.items():
            values[name].append(block(image))
    print(f"   {'none':46} micro-F1 {micro_f1(out_of_fold(logistic(0.03), X, Y, folds), Y)[0]:.3f}", flush=True)
    for name, block in values.items():
        extended = np.hstack([X, np.array(block)])
        print(f"   {name + f' (+{extended.shape[1] - X.shape[1]})':46} micro-F1 "
              f"{micro_f1(out_of_fold(logistic(0.03), extended, Y, folds), Y)[0]:.3f}", flush=True)
    everything = np.hstack([X] + [np.array(block) for block in values.values()])
    print(f"   {'all four':46} micro-F1 {micro_f1(out_of_fold(logistic(0.03), everything, Y, folds), Y)[0]:.3f}")

    try:
        import jax  # noqa: F401
    except ImportError:
        print("3. skipped: jax is not installed")
        return
    print("3. a small convolutional network trained from scratch (32x24 input)")
    images = np.stack([small_image(os.path.join(corpus, file)) for file in files])
    for with_features in (False, True):
        P = np.zeros(Y.shape)
        for fold, (train, test) in enumerate(folds):
            extra_train = extra_test = None
            if with_features:
                mean, deviation = X[train].mean(0), X[train].std(0) + 1e-6
                extra_train, extra_test = (X[train] - mean) / deviation, (X[test] - mean) / deviation
            network = train_network(images[train], extra_train, Y[train].astype(np.float32), seed=fold)
            P[test] = network_probabilities(network, images[test], extra_test)
        name = "with PAM's features" if with_features else "alone"
        print(f"   {name:46} micro-F1 {micro_f1(P, Y)[0]:.3f}", flush=True)


def small_image(path):
    """The 1/8-scale decode reduced to 36x27: random 32x24 crops of it in training, the centre one to predict."""
    image = Image.open(path)
    image.draft("RGB", (128, 96))
    return np.asarray(image.convert("RGB").resize((36, 27), Image.BILINEAR), np.float32) / 255


def network_forward(parameters, images, extra):
    import jax
    import jax.numpy as jnp

    def convolve(x, weights, bias):
        return jax.nn.relu(jax.lax.conv_general_dilated(
            x, weights, (1, 1), "SAME", dimension_numbers=("NHWC", "HWIO", "NHWC")) + bias)

    def pool(x):
        return jax.lax.reduce_window(x, -jnp.inf, jax.lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "VALID")

    x = pool(convolve(images - 0.5, parameters["c1"], parameters["b1"]))
    x = pool(convolve(x, parameters["c2"], parameters["b2"]))
    x = convolve(x, parameters["c3"], parameters["b3"])
    pooled = [x.mean((1, 2)), x.max((1, 2))] + ([extra] if extra is not None else [])
    return jnp.concatenate(pooled, 1) @ parameters["w"] + parameters["b"]


def train_network(images, extra, truth, seed, epochs=250, rate=3e-3, decay=1e-4):
    import jax
    import jax.numpy as jnp

    keys = jax.random.split(jax.random.PRNGKey(seed), 4)
    inputs = 64 + (0 if extra is None else extra.shape[1])

    def he(key, shape, fan):
        return jax.random.normal(key, shape) * np.sqrt(2 / fan)

    parameters = {"c1": he(keys[0], (3, 3, 3, 16), 27), "b1": jnp.zeros(16), "c2": he(keys[1], (3, 3, 16, 32), 144),
                  "b2": jnp.zeros(32), "c3": he(keys[2], (3, 3, 32, 32), 288), "b3": jnp.zeros(32),
                  "w": he(keys[3], (inputs, LABELS), inputs) * 0.5, "b": jnp.zeros(LABELS)}

    def loss(parameters, x, extra, y):
        z = network_forward(parameters, x, extra)
        entropy = jnp.mean(jnp.maximum(z, 0) - z * y + jnp.log1p(jnp.exp(-jnp.abs(z))))
        return entropy + decay * sum(jnp.sum(parameters[k] ** 2) for k in ("c1", "c2", "c3", "w"))

    gradient = jax.jit(jax.grad(loss))
    first = jax.tree_util.tree_map(jnp.zeros_like, parameters)
    second = jax.tree_util.tree_map(jnp.zeros_like, parameters)
    rng = np.random.default_rng(seed)
    step = 0
    for _ in range(epochs):
        order = rng.permutation(len(images))
        for start in range(0, len(images), 32):
            batch = order[start:start + 32]
            tops, lefts = rng.integers(0, 4, len(batch)), rng.integers(0, 5, len(batch))
            crops = np.stack([images[i, top:top + 24, left:left + 32] for i, top, left in zip(batch, tops, lefts)])
            flipped = rng.random(len(batch)) < 0.5
            crops[flipped] = crops[flipped, :, ::-1]
            g = gradient(parameters, jnp.asarray(crops), None if extra is None else jnp.asarray(extra[batch]),
                         jnp.asarray(truth[batch]))
            step += 1
            first = jax.tree_util.tree_map(lambda m, d: 0.9 * m + 0.1 * d, first, g)
            second = jax.tree_util.tree_map(lambda v, d: 0.999 * v + 0.001 * d * d, second, g)
            parameters = jax.tree_util.tree_map(
                lambda p, m, v: p - rate * (m / (1 - 0.9 ** step)) / (jnp.sqrt(v / (1 - 0.999 ** step)) + 1e-8),
                parameters, first, second)
    return parameters


def network_probabilities(parameters, images, extra):
    """The mean of the centre crop's and its mirror image's probabilities."""
    import jax
    import jax.numpy as jnp

    centre = images[:, 1:25, 2:34]
    features = None if extra is None else jnp.asarray(extra)
    logits = (network_forward(parameters, jnp.asarray(centre), features)
              + network_forward(parameters, jnp.asarray(centre[:, :, ::-1].copy()), features)) / 2
    return np.asarray(jax.nn.sigmoid(logits))


if __name__ == "__main__":
    main()
