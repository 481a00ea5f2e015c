"""The course's models, one small module each; the chapters teach them step by step and
a tested cell checks the notebook's version against the one here.

Import from the modules (``from d2l_utils.models.resnet import resnet18``): several
modules share their name with their main function, so nothing is re-exported here.

nin            Network in Network for MNIST (chapter 01)
googlenet_lite the MNIST GoogLeNet of the lecture (chapter 02)
inception_v1   Inception v1 / GoogLeNet, Szegedy et al. 2014 (chapter 02)
resnet         residual blocks v1/v2, the MNIST ResNet, ResNet-18/34 (chapter 03)
densenet       DenseNet, Huang et al. 2017 (chapter 04)
mobilenet_v1   MobileNet V1, Howard et al. 2017 (chapter 05)
mobilenet_v2   MobileNet V2, Sandler et al. 2018 (chapter 05)
hybridsn       HybridSN, Roy et al. 2019 (chapter 06)
zoo            GluonCV's model zoo as the reference for parameter counts
"""
