"""Reference solutions of chapter 00's exercises."""


def tiny_cnn_params():
    conv1 = 9 * 1 * 16 + 16            # 3x3 kernels, 1 -> 16 channels, one bias per output channel
    conv2 = 9 * 16 * 32 + 32           # 16 -> 32 channels
    dense = 32 * 7 * 7 * 10 + 10       # 28 -> 14 -> 7 after two 2x2 poolings
    return conv1 + conv2 + dense


def conv_output_size(n, k, padding, stride):
    return (n + 2 * padding - k) // stride + 1


SOLUTIONS = {"check_tiny_cnn_params": tiny_cnn_params(),
             "check_conv_output_size": conv_output_size}
WRONG = {"check_tiny_cnn_params": tiny_cnn_params() - 10,
         "check_conv_output_size": lambda n, k, padding, stride: (n + padding - k) // stride + 1}
