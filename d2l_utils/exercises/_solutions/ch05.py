"""Reference solutions of chapter 05's exercises."""


def separable_cost(dk, m, n, df):
    return dk * dk * m * n * df * df, dk * dk * m * df * df + m * n * df * df


def block_params(c_in, c_out, t, stride, shortcut):
    hidden = c_in * t
    params = 0
    if t != 1:
        params += c_in * hidden + 2 * hidden          # 1x1 expand + BN
    params += 9 * hidden + 2 * hidden                 # 3x3 depthwise + BN
    params += hidden * c_out + 2 * c_out              # 1x1 linear projection + BN
    if shortcut == "projection" and stride == 1 and c_in != c_out:
        params += c_in * c_out + 2 * c_out            # 1x1 projection shortcut + BN
    return params


SOLUTIONS = {"check_separable_cost": separable_cost,
             "check_block_params": block_params,
             "check_budget_choice": (1.0, 128)}
