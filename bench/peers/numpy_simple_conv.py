#!/usr/bin/env python3
"""numpy peer of `cnn bench --models simple-conv`: the seeds' im2col code as written
(/work/shared/seeds, "Deep Learning from Scratch" layers: im2col/col2im, Convolution, Relu,
Pooling, Affine, SoftmaxWithLoss) and the book's Adam (lr_t form, eps 1e-7), training the
book's SimpleConvNet with batch 100 on Fashion-MNIST. Weights are float64 as the seeds create
them (0.01 * np.random.randn), so the arithmetic runs in float64.

It is slow (~100x ours), so --max-steps caps the timed steps (default 300); the figure is the
median window as in `cnn bench`. Prints JSON.
"""
import argparse
import os
from collections import OrderedDict

import numpy as np

import fashion_mnist
import peer_timing


# ── the seeds' functions and layers, unchanged in substance ──────────────────────────────

def im2col(input_data, filter_h, filter_w, stride=1, pad=0):
    N, C, H, W = input_data.shape
    out_h = (H + 2 * pad - filter_h) // stride + 1
    out_w = (W + 2 * pad - filter_w) // stride + 1
    img = np.pad(input_data, [(0, 0), (0, 0), (pad, pad), (pad, pad)], 'constant')
    col = np.zeros((N, C, filter_h, filter_w, out_h, out_w))
    for y in range(filter_h):
        y_max = y + stride * out_h
        for x in range(filter_w):
            x_max = x + stride * out_w
            col[:, :, y, x, :, :] = img[:, :, y:y_max:stride, x:x_max:stride]
    return col.transpose(0, 4, 5, 1, 2, 3).reshape(N * out_h * out_w, -1)


def col2im(col, input_shape, filter_h, filter_w, stride=1, pad=0):
    N, C, H, W = input_shape
    out_h = (H + 2 * pad - filter_h) // stride + 1
    out_w = (W + 2 * pad - filter_w) // stride + 1
    col = col.reshape(N, out_h, out_w, C, filter_h, filter_w).transpose(0, 3, 4, 5, 1, 2)
    img = np.zeros((N, C, H + 2 * pad + stride - 1, W + 2 * pad + stride - 1))
    for y in range(filter_h):
        y_max = y + stride * out_h
        for x in range(filter_w):
            x_max = x + stride * out_w
            img[:, :, y:y_max:stride, x:x_max:stride] += col[:, :, y, x, :, :]
    return img[:, :, pad:H + pad, pad:W + pad]


def softmax(x):
    x = x - np.max(x, axis=-1, keepdims=True)
    return np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)


def cross_entropy_error(y, t):
    batch_size = y.shape[0]
    return -np.sum(np.log(y[np.arange(batch_size), t] + 1e-7)) / batch_size


class Relu:
    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = (x <= 0)
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout[self.mask] = 0
        return dout


class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b
        self.x = self.original_x_shape = self.dW = self.db = None

    def forward(self, x):
        self.original_x_shape = x.shape
        x = x.reshape(x.shape[0], -1)
        self.x = x
        return np.dot(self.x, self.W) + self.b

    def backward(self, dout):
        dx = np.dot(dout, self.W.T)
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)
        return dx.reshape(*self.original_x_shape)


class SoftmaxWithLoss:
    def __init__(self):
        self.loss = self.y = self.t = None

    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)
        self.loss = cross_entropy_error(self.y, self.t)
        return self.loss

    def backward(self, dout=1):
        batch_size = self.t.shape[0]
        dx = self.y.copy()
        dx[np.arange(batch_size), self.t] -= 1
        return dx / batch_size


class Convolution:
    def __init__(self, W, b, stride=1, pad=0):
        self.W, self.b, self.stride, self.pad = W, b, stride, pad
        self.x = self.col = self.col_W = self.dW = self.db = None

    def forward(self, x):
        FN, C, FH, FW = self.W.shape
        N, C, H, W = x.shape
        out_h = 1 + int((H + 2 * self.pad - FH) / self.stride)
        out_w = 1 + int((W + 2 * self.pad - FW) / self.stride)
        col = im2col(x, FH, FW, self.stride, self.pad)
        col_W = self.W.reshape(FN, -1).T
        out = np.dot(col, col_W) + self.b
        out = out.reshape(N, out_h, out_w, -1).transpose(0, 3, 1, 2)
        self.x, self.col, self.col_W = x, col, col_W
        return out

    def backward(self, dout):
        FN, C, FH, FW = self.W.shape
        dout = dout.transpose(0, 2, 3, 1).reshape(-1, FN)
        self.db = np.sum(dout, axis=0)
        self.dW = np.dot(self.col.T, dout)
        self.dW = self.dW.transpose(1, 0).reshape(FN, C, FH, FW)
        dcol = np.dot(dout, self.col_W.T)
        return col2im(dcol, self.x.shape, FH, FW, self.stride, self.pad)


class Pooling:
    def __init__(self, pool_h, pool_w, stride=1, pad=0):
        self.pool_h, self.pool_w, self.stride, self.pad = pool_h, pool_w, stride, pad
        self.x = self.arg_max = None

    def forward(self, x):
        N, C, H, W = x.shape
        out_h = int(1 + (H - self.pool_h) / self.stride)
        out_w = int(1 + (W - self.pool_w) / self.stride)
        col = im2col(x, self.pool_h, self.pool_w, self.stride, self.pad)
        col = col.reshape(-1, self.pool_h * self.pool_w)
        arg_max = np.argmax(col, axis=1)
        out = np.max(col, axis=1)
        out = out.reshape(N, out_h, out_w, C).transpose(0, 3, 1, 2)
        self.x, self.arg_max = x, arg_max
        return out

    def backward(self, dout):
        dout = dout.transpose(0, 2, 3, 1)
        pool_size = self.pool_h * self.pool_w
        dmax = np.zeros((dout.size, pool_size))
        dmax[np.arange(self.arg_max.size), self.arg_max.flatten()] = dout.flatten()
        dmax = dmax.reshape(dout.shape + (pool_size,))
        dcol = dmax.reshape(dmax.shape[0] * dmax.shape[1] * dmax.shape[2], -1)
        return col2im(dcol, self.x.shape, self.pool_h, self.pool_w, self.stride, self.pad)


class Adam:
    """The book's Adam: bias correction folded into lr_t; eps 1e-7."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr, self.beta1, self.beta2 = lr, beta1, beta2
        self.iter, self.m, self.v = 0, None, None

    def update(self, params, grads):
        if self.m is None:
            self.m = {k: np.zeros_like(v) for k, v in params.items()}
            self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2 ** self.iter) / (1.0 - self.beta1 ** self.iter)
        for key in params.keys():
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)


class SimpleConvNet:
    """conv 30@5x5 -> Relu -> Pool 2x2 -> Affine 100 -> Relu -> Affine 10 -> SoftmaxWithLoss."""

    def __init__(self, weight_init_std=0.01):
        self.params = {
            'W1': weight_init_std * np.random.randn(30, 1, 5, 5), 'b1': np.zeros(30),
            'W2': weight_init_std * np.random.randn(30 * 12 * 12, 100), 'b2': np.zeros(100),
            'W3': weight_init_std * np.random.randn(100, 10), 'b3': np.zeros(10),
        }
        self.layers = OrderedDict()
        self.layers['Conv1'] = Convolution(self.params['W1'], self.params['b1'], 1, 0)
        self.layers['Relu1'] = Relu()
        self.layers['Pool1'] = Pooling(pool_h=2, pool_w=2, stride=2)
        self.layers['Affine1'] = Affine(self.params['W2'], self.params['b2'])
        self.layers['Relu2'] = Relu()
        self.layers['Affine2'] = Affine(self.params['W3'], self.params['b3'])
        self.last_layer = SoftmaxWithLoss()

    def predict(self, x):
        for layer in self.layers.values():
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        return self.last_layer.forward(self.predict(x), t)

    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.last_layer.backward(1)
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout)
        return {
            'W1': self.layers['Conv1'].dW, 'b1': self.layers['Conv1'].db,
            'W2': self.layers['Affine1'].dW, 'b2': self.layers['Affine1'].db,
            'W3': self.layers['Affine2'].dW, 'b3': self.layers['Affine2'].db,
        }


# ── timing ───────────────────────────────────────────────────────────────────────────────

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--batch-size", type=int, default=100)
    p.add_argument("--windows", type=int, default=3)
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--warmup", type=float, default=0.0, help="default: two steps")
    p.add_argument("--max-steps", type=int, default=300, help="cap on timed training steps (0: none)")
    p.add_argument("--data", default=fashion_mnist.DEFAULT_FOLDER)
    p.add_argument("--output", help="also write the JSON here")
    a = p.parse_args()

    np.random.seed(1)
    x_train, t_train = fashion_mnist.load(a.data, "train")
    x_test, t_test = fashion_mnist.load(a.data, "t10k")
    net = SimpleConvNet()
    optimizer = Adam(lr=0.001)
    b = a.batch_size
    batches = len(x_train) // b
    state = {"order": np.random.permutation(len(x_train)), "next": 0, "test": 0}

    def train_step():
        if state["next"] == batches:
            state["order"], state["next"] = np.random.permutation(len(x_train)), 0
        idx = state["order"][state["next"] * b:(state["next"] + 1) * b]
        state["next"] += 1
        grads = net.gradient(x_train[idx], t_train[idx])
        optimizer.update(net.params, grads)
        return b

    def infer_step():
        i = state["test"]
        state["test"] = (i + 1) % (len(x_test) // b)
        y = net.predict(x_test[i * b:(i + 1) * b])
        return b if np.sum(np.argmax(y, axis=1) == t_test[i * b:(i + 1) * b]) >= 0 else 0

    cap = a.max_steps or None
    training = peer_timing.measure(train_step, a.windows, a.seconds, a.warmup, "numpy training", cap)
    inference = peer_timing.measure(infer_step, a.windows, a.seconds, a.warmup, "numpy inference", cap)
    peer_timing.emit({
        "peer": "numpy",
        "version": np.__version__,
        "model": "simple-conv",
        "batchSize": b,
        "dtype": str(net.params['W1'].dtype),
        "maxSteps": cap,
        "note": f"timed steps capped at {cap} per phase (the seeds' numpy is slow); median window of those" if cap else None,
        "environment": {"OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS")},
        "loadAverage": peer_timing.load_average(),
        "training": training,
        "inference": inference,
    }, a.output)


if __name__ == "__main__":
    main()
