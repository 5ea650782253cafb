"""The models `cnn bench` measures, built in PyTorch for the peers (comparison only, never a
project dependency): layer for layer the same shapes, initialisation and optimizer settings.

  simple-conv  the book's SimpleConvNet: conv 30@5x5 -> ReLU -> max-pool 2 -> affine 100 -> ReLU -> affine 10,
               weights 0.01*N(0,1), zero biases
  two-conv-bn  bench/peers/two-conv-bn.json: conv32-BN-ReLU-pool, conv64-BN-ReLU-pool (3x3, pad 1),
               FC 128 + ReLU + dropout 0.3, FC 10; He-normal weights
  vgg-small    the preset: three blocks of (3x3 conv pad 1 + BN + ReLU) x 2 and a 2x2 max-pool with
               32, 64, 128 channels (28 -> 14 -> 7 -> 3), affine 128 -> BN -> ReLU -> dropout 0.3 -> affine 10;
               He-normal weights
  resnet-small the preset: 3x3 stem conv 16 + BN + ReLU, three stages of two residual blocks with 16, 32
               and 64 channels (28 -> 28 -> 14 -> 7), each block conv3x3-BN-ReLU-conv3x3-BN plus the shortcut
               (identity, or in the first block of stages 2 and 3 a stride-2 1x1 conv + BN), then ReLU;
               global average pooling and affine 10; every conv keeps its bias, as ours does; He-normal weights
  vgg16        seed 002's VGG16 for 224x224 RGB: 13 3x3 convs pad 1 + ReLU in five blocks (64, 64 | 128, 128 |
               256 x3 | 512 x3 | 512 x3), each block ending in a 2x2 max-pool, then affine 4096 -> ReLU ->
               dropout 0.5 twice and affine 1000; weights N(0, 1/fan-in) (ours: WeightInit.Xavier)
"""
import torch
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


class _Block(nn.Module):
    """One residual block of resnet-small: relu(body(x) + shortcut(x)). Ours adds the ReLU as
    a separate layer after the block; the arithmetic is the same."""

    def __init__(self, channels_in, channels, stride):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(channels_in, channels, 3, stride, 1), nn.BatchNorm2d(channels), nn.ReLU(),
            nn.Conv2d(channels, channels, 3, 1, 1), nn.BatchNorm2d(channels))
        self.shortcut = nn.Identity() if stride == 1 else nn.Sequential(
            nn.Conv2d(channels_in, channels, 1, stride, 0), nn.BatchNorm2d(channels))
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.relu(self.body(x) + self.shortcut(x))


def resnet_small(classes=10):
    layers, channels = [nn.Conv2d(1, 16, 3, 1, 1), nn.BatchNorm2d(16), nn.ReLU()], 16
    for stage, width in enumerate((16, 32, 64)):
        for block in range(2):
            stride = 2 if stage > 0 and block == 0 else 1
            layers.append(_Block(channels, width, stride))
            channels = width
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, classes)]
    return _init(nn.Sequential(*layers), "he")


MODELS = {"simple-conv": simple_conv, "two-conv-bn": two_conv_bn, "vgg-small": vgg_small, "resnet-small": resnet_small,
          "vgg16": vgg16}


def parameters(model):
    """Trainable values (weights, biases, batch-norm scale and shift), the figure `cnn bench` reports
    as "parameters": equal counts are the check that the peer runs the same layers."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def multiply_adds(model, shape=(1, 1, 28, 28)):
    """Multiply-adds of one forward pass per image in the convolutions and affine layers, counted
    as `cnn bench` counts them (BenchFlops), for checking that both sides do the same arithmetic."""
    total, training = [0], model.training

    def hook(m, _, y):
        if isinstance(m, nn.Conv2d):
            total[0] += m.weight.numel() * y.shape[2] * y.shape[3]
        elif isinstance(m, nn.Linear):
            total[0] += m.weight.numel()
    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    try:
        with torch.no_grad():
            model.eval()(torch.zeros(shape))
    finally:
        for h in handles:
            h.remove()
        model.train(training)
    return total[0]


def _init(model, init):
    """'book': 0.01*N(0,1) weights; 'he': He-normal weights (ours: WeightInit.He); 'xavier': N(0, 1/fan-in)
    (ours: WeightInit.Xavier); all with zero biases.
    'default' keeps PyTorch's own initialisation."""
    if init == "default":
        return model
    for m in model.modules():  # nested too: resnet-small's convolutions sit inside its blocks
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            if init == "book":
                nn.init.normal_(m.weight, 0.0, 0.01)
            elif init == "xavier":
                nn.init.kaiming_normal_(m.weight, nonlinearity="linear")  # gain 1: std = sqrt(1 / fan_in)
            else:
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            nn.init.zeros_(m.bias)
    return model
