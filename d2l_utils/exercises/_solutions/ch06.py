"""Reference solutions of chapter 06's exercises."""
import numpy as np

from ...models.hybridsn import hybridsn_param_count  # the model's own count is the answer


def my_kappa(cm):
    cm = np.asarray(cm, float)
    n = cm.sum()
    po = np.trace(cm) / n
    pe = (cm.sum(0) * cm.sum(1)).sum() / n ** 2
    return (po - pe) / (1 - pe)


def my_leaks(train, test, window):
    d = np.abs(test[:, None, :] - train[None, :, :]).max(axis=2)        # (N_test, N_train)
    return (d <= window // 2).any(axis=1)


SOLUTIONS = {"check_hybridsn_params": hybridsn_param_count, "check_kappa": my_kappa,
             "check_leaks": my_leaks}


def my_variant(variant, num_classes=16):
    """HybridSN with all four convolutions 2-D (the components as 30 channels) or all 3-D."""
    from mxnet.gluon import nn
    from ...models.hybridsn import SpectralToChannels
    net = nn.HybridSequential()
    if variant == "2-D only":
        net.add(SpectralToChannels(),                         # (B, 1, 30, w, w) -> (B, 30, w, w)
                *(nn.Conv2D(c, 3, activation="relu") for c in (8, 16, 32, 64)))
    else:                                                     # "3-D only": a short 4th kernel, no reshape
        net.add(*(nn.Conv3D(c, k, activation="relu")
                  for c, k in ((8, (7, 3, 3)), (16, (5, 3, 3)), (32, (3, 3, 3)), (64, (3, 3, 3)))))
    net.add(nn.Flatten(), nn.Dense(256, activation="relu"), nn.Dropout(0.4),
            nn.Dense(128, activation="relu"), nn.Dropout(0.4), nn.Dense(num_classes))
    return net


def _hybrid_in_disguise(variant, num_classes=16):
    """Wrong: a 4th Conv3D as deep as its input (18) is HybridSN's 2-D layer again."""
    from mxnet.gluon import nn
    if variant == "2-D only":
        return my_variant(variant, num_classes)
    net = nn.HybridSequential()
    net.add(*(nn.Conv3D(c, k, activation="relu")
              for c, k in ((8, (7, 3, 3)), (16, (5, 3, 3)), (32, (3, 3, 3)), (64, (18, 3, 3)))))
    net.add(nn.Flatten(), nn.Dense(256, activation="relu"), nn.Dropout(0.4),
            nn.Dense(128, activation="relu"), nn.Dropout(0.4), nn.Dense(num_classes))
    return net


def my_shuffle(cube, seed):
    """The components (last axis) in a random order."""
    return cube[:, :, np.random.default_rng(seed).permutation(cube.shape[2])]


def _shuffle_pixels(cube, seed):
    """Wrong: permutation() of a 3-D array shuffles its first axis, the image rows."""
    return np.random.default_rng(seed).permutation(cube)


SOLUTIONS.update(check_ablation=my_variant, check_shuffle=my_shuffle)
WRONG = {"check_ablation": _hybrid_in_disguise, "check_shuffle": _shuffle_pixels}
