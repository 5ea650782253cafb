"""The models `cnn bench` measures, built in PyTorch for the peers (comparison only, never a
project dependency): layer for layer the same shapes, initialisation and optimizer settings.

  simple-conv  the book's SimpleConvNet: conv 30@5x5 -> ReLU -> max-pool 2 -> affine 100 -> ReLU -> affine 10,
               weights 0.01*N(0,1), zero biases
  two-conv-bn  bench/peers/two-conv-bn.json: conv32-BN-ReLU-pool, conv64-BN-ReLU-pool (3x3, pad 1),
               FC 128 + ReLU + dropout 0.3, FC 10; He-normal weights
  vgg-small    the preset: three blocks of (3x3 conv pad 1 + BN + ReLU) x 2 and a 2x2 max-pool with
               32, 64, 128 channels (28 -> 14 -> 7 -> 3), affine 128 -> BN -> ReLU -> dropout 0.3 -> affine 10;
               He-normal weights
  vgg16        seed 002's VGG16 for 224x224 RGB: 13 3x3 convs pad 1 + ReLU in five blocks (64, 64 | 128, 128 |
               256 x3 | 512 x3 | 512 x3), each block ending in a 2x2 max-pool, then affine 4096 -> ReLU ->
               dropout 0.5 twice and affine 1000; weights N(0, 1/fan-in) (ours: WeightInit.Xavier)
"""
from torch import nn


def simple_conv():
    return _init(nn.Sequential(
        nn.Conv2d(1, 30, 5), nn.ReLU(), nn.MaxPool2d(2, 2), nn.Flatten(),
        nn.Linear(30 * 12 * 12, 100), nn.ReLU(), nn.Linear(100, 10)), "book")


def two_conv_bn(init="he"):
    return _init(nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, 10)), init)


def vgg_small():
    layers, channels = [], 1
    for width in (32, 64, 128):
        for _ in range(2):
            layers += [nn.Conv2d(channels, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU()]
            channels = width
        layers.append(nn.MaxPool2d(2, 2))
    layers += [nn.Flatten(), nn.Linear(128 * 3 * 3, 128), nn.BatchNorm1d(128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, 10)]
    return _init(nn.Sequential(*layers), "he")


def vgg16(classes=1000):
    layers, channels = [], 3
    for width, convs in ((64, 2), (128, 2), (256, 3), (512, 3), (512, 3)):
        for _ in range(convs):
            layers += [nn.Conv2d(channels, width, 3, padding=1), nn.ReLU()]
            channels = width
        layers.append(nn.MaxPool2d(2, 2))
    layers += [nn.Flatten(), nn.Linear(512 * 7 * 7, 4096), nn.ReLU(), nn.Dropout(0.5),
               nn.Linear(4096, 4096), nn.ReLU(), nn.Dropout(0.5), nn.Linear(4096, classes)]
    return _init(nn.Sequential(*layers), "xavier")


MODELS = {"simple-conv": simple_conv, "two-conv-bn": two_conv_bn, "vgg-small": vgg_small, "vgg16": vgg16}


def _init(model, init):
    """'book': 0.01*N(0,1) weights; 'he': He-normal weights (ours: WeightInit.He); 'xavier': N(0, 1/fan-in)
    (ours: WeightInit.Xavier); all with zero biases.
    'default' keeps PyTorch's own initialisation."""
    if init == "default":
        return model
    for m in model:
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            if init == "book":
                nn.init.normal_(m.weight, 0.0, 0.01)
            elif init == "xavier":
                nn.init.kaiming_normal_(m.weight, nonlinearity="linear")  # gain 1: std = sqrt(1 / fan_in)
            else:
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            nn.init.zeros_(m.bias)
    return model
