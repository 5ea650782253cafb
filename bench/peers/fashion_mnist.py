"""Reads Fashion-MNIST (or any MNIST-format folder) straight from the IDX .gz files.

Shared by the peer scripts so they train on exactly the data `cnn bench` uses. Images come
back as float32 in [0, 1] with shape (N, 1, 28, 28), labels as int64, like the book's
load_mnist(normalize=True, flatten=False).
"""
import gzip
import os
import struct

import numpy as np

DEFAULT_FOLDER = "/usr/share/datasets/fashion-mnist"


def _open(path):
    if os.path.exists(path):
        return open(path, "rb")
    if os.path.exists(path + ".gz"):
        return gzip.open(path + ".gz", "rb")
    raise FileNotFoundError(
        f"{path}[.gz] not found; install Fashion-MNIST (apt-get install dataset-fashion-mnist) or pass --data DIR")


def _read_idx(path, expected_magic):
    with _open(path) as f:
        data = f.read()
    magic = struct.unpack(">I", data[:4])[0]
    if magic != expected_magic:
        raise ValueError(f"{path}: IDX magic {magic:#x}, expected {expected_magic:#x}")
    dims = data[3] & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(folder=DEFAULT_FOLDER, split="train"):
    """(images float32 (N,1,28,28) in [0,1], labels int64 (N,)) of split 'train' or 't10k'."""
    images = _read_idx(os.path.join(folder, f"{split}-images-idx3-ubyte"), 0x00000803)
    labels = _read_idx(os.path.join(folder, f"{split}-labels-idx1-ubyte"), 0x00000801)
    if len(images) != len(labels):
        raise ValueError(f"{folder}: {len(images)} {split} images but {len(labels)} labels")
    x = images.astype(np.float32)[:, None, :, :] / np.float32(255.0)
    return x, labels.astype(np.int64)
