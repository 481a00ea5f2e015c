"""GluonCV's model zoo, the trusted reference the course's models are checked against."""


def gluoncv_model(name, **kwargs):
    """The GluonCV network ``name`` (e.g. 'resnet18_v1', 'googlenet', 'mobilenetv2_1.0')
    without weights: for comparing architectures and parameter counts offline."""
    from gluoncv.model_zoo import get_model
    return get_model(name, pretrained=False, **kwargs)
