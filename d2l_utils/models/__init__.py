"""The course's models, one small module each; the chapters teach them step by step and
a tested cell checks the notebook's version against the one here."""
from .nin import nin_block, nin_mnist
from .googlenet_lite import InceptionLite, googlenet_lite
from .inception_v1 import Inception, InceptionV1, inception_v1
from .resnet import ResidualBlock, PreActResidualBlock, Residual, resnet_mnist, resnet, resnet18
from .densenet import DenseBlock, densenet, densenet121
from .mobilenet_v1 import mobilenet_v1, mobilenet_v1_cifar
from .mobilenet_v2 import InvertedResidual, mobilenet_v2, mobilenet_v2_cifar
from .hybridsn import HybridSN
from .zoo import gluoncv_model
