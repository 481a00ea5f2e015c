"""Reference solutions of chapter 03's exercises."""
from ..ch03 import _reference_stage_shapes  # the check's own bookkeeping
from ...models.resnet import ResidualBlock as FixedResidualBlock  # the post's block, fixed


def stage_shapes(size):
    return _reference_stage_shapes(size)


def resnet34_parameters():
    from ...accounting import count_parameters
    from ...models.resnet import resnet
    return count_parameters(resnet((3, 4, 6, 3), 1000, 3))[0]


SOLUTIONS = {"check_stage_shapes": stage_shapes,
             "check_fixed_block": FixedResidualBlock,
             "check_resnet34": resnet34_parameters}
