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
