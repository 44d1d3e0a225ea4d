"""scikit-learn side of `bench tsne` (Debian's python3-sklearn 1.2).

Usage: tsne_reference.py TSNE_POINTS N D SCORE_POINTS SCORE_LABELS M E CLUSTERS SKIP_EXACT
Points are raw little-endian float64 row-major files and labels raw int32, as TsneBenchmark.cs writes them.
Prints one JSON line: {name: {"seconds": s, "value": v}}.
"""
import json
import sys
import time

import numpy as np
from sklearn.cluster import KMeans
from sklearn.manifold import TSNE
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score, silhouette_score


def timed(f):
    start = time.perf_counter()
    value = f()
    return time.perf_counter() - start, value


def main():
    tsne_path, n, d, score_path, label_path, m, e, clusters, skip_exact = sys.argv[1:10]
    x = np.fromfile(tsne_path, dtype="<f8").reshape(int(n), int(d))
    z = np.fromfile(score_path, dtype="<f8").reshape(int(m), int(e))
    labels = np.fromfile(label_path, dtype="<i4")
    out = {}
    methods = ["barnes_hut"] if skip_exact == "1" else ["exact", "barnes_hut"]
    for method in methods:
        model = TSNE(method=method, init="pca", learning_rate="auto", random_state=0)
        seconds, _ = timed(lambda: model.fit_transform(x))
        out["tsne_" + method] = {"seconds": seconds, "value": float(model.kl_divergence_), "iterations": int(model.n_iter_)}
    seconds, value = timed(lambda: silhouette_score(z, labels))
    out["silhouette"] = {"seconds": seconds, "value": float(value)}
    km = KMeans(n_clusters=int(clusters), n_init=10, random_state=0)
    seconds, _ = timed(lambda: km.fit(z))
    out["kmeans"] = {"seconds": seconds, "value": float(km.inertia_)}
    seconds, value = timed(lambda: adjusted_rand_score(labels, km.labels_))
    out["ari"] = {"seconds": seconds, "value": float(value)}
    seconds, value = timed(lambda: normalized_mutual_info_score(labels, km.labels_))
    out["nmi"] = {"seconds": seconds, "value": float(value)}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
