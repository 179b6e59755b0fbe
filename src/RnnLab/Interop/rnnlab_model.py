"""RnnLab's character-level language model in PyTorch.

`rnnlab export` writes this file beside the weights. Load the directory with

    import rnnlab_model
    model, tokens = rnnlab_model.load("exported-dir")
    logits, state = model(rnnlab_model.encode("ROMEO:", tokens))

and write a directory that `rnnlab import` reads with `rnnlab_model.save(model, tokens, "dir")`.
It needs only torch; model.safetensors is read without the safetensors package.
"""
import json
import os
import struct

import torch
from torch import nn

FORMAT = "rnnlab-export"
VERSION = 1
SPECIALS = ["<pad>", "<bos>", "<eos>", "<unk>"]
_CELLS = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn-tanh": nn.RNN, "rnn-relu": nn.RNN}
_DTYPES = {"F32": torch.float32, "F64": torch.float64, "F16": torch.float16, "BF16": torch.bfloat16}


class CharRnn(nn.Module):
    """Embedding (or one-hot), a recurrent stack, a linear decoder; parameter names as in RnnLab."""

    def __init__(self, vocabulary_size, cell="lstm", layers=2, hidden=256, embedding=64, dropout=0.0,
                 class_count=0, class_embedding=16):
        super().__init__()
        self.vocabulary_size = vocabulary_size
        self.embedding = nn.Embedding(vocabulary_size, embedding) if embedding > 0 else None
        self.condition = nn.Embedding(class_count, class_embedding) if class_count > 0 else None
        width = (embedding or vocabulary_size) + (class_embedding if class_count > 0 else 0)
        extra = {"nonlinearity": cell[len("rnn-"):]} if cell.startswith("rnn-") else {}
        self.rnn = _CELLS[cell](width, hidden, layers, batch_first=True,
                                dropout=dropout if layers > 1 else 0.0, **extra)
        self.drop = nn.Dropout(dropout)
        self.decoder = nn.Linear(hidden, vocabulary_size)

    def forward(self, ids, state=None, classes=None):
        """ids (B, T) -> logits (B, T, V) and the state after the last step."""
        if self.embedding is None:
            x = nn.functional.one_hot(ids, self.vocabulary_size).float()
        else:
            x = self.embedding(ids)
        if self.condition is not None:
            c = self.condition(classes).unsqueeze(1).expand(-1, ids.shape[1], -1)
            x = torch.cat([x, c], 2)
        output, state = self.rnn(self.drop(x), state)
        return self.decoder(self.drop(output)), state


def encode(text, tokens, bos=False):
    """A (1, T) id tensor for text; characters outside the vocabulary become <unk>.

    Models trained in documents mode saw <bos> before each document: pass bos=True to start with it.
    """
    ids = {t: i for i, t in enumerate(tokens)}
    start = [SPECIALS.index("<bos>")] if bos else []
    return torch.tensor([start + [ids.get(ch, SPECIALS.index("<unk>")) for ch in text]])


def load(directory):
    """The model (in eval mode, on the CPU) and its tokens in id order.

    A class-conditioned model lists its classes in model.classes; pass each row's class index as
    model(ids, classes=torch.tensor([model.classes.index("Russian")])).
    """
    with open(os.path.join(directory, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    with open(os.path.join(directory, "vocab.json"), encoding="utf-8") as f:
        tokens = json.load(f)["tokens"]
    m = config["model"]
    classes = config.get("classes") or []
    model = CharRnn(len(tokens), m["cell"], m["layers"], m["hidden"], m["embedding"], m.get("dropout", 0.0),
                    len(classes), m.get("class-embedding", 16))
    safetensors = os.path.join(directory, "model.safetensors")
    if os.path.exists(safetensors):
        state = read_safetensors(safetensors)
    else:
        state = torch.load(os.path.join(directory, "model.pt"), map_location="cpu")
    model.load_state_dict(state)
    model.classes = classes or None
    return model.eval(), tokens


def save(model, tokens, directory, classes=None):
    """Writes model.pt, config.json and vocab.json for `rnnlab import`.

    A class-conditioned model needs its class names: passed here, or in model.classes (set by load).
    """
    if classes is None:
        classes = getattr(model, "classes", None)
    if model.condition is not None and not classes:
        raise ValueError("this model is conditioned on a class: pass classes=[names in label order]")
    if model.condition is None and classes:
        raise ValueError("this model is not conditioned on a class: leave classes out")
    classes = list(classes) if classes else None
    os.makedirs(directory, exist_ok=True)
    rnn = model.rnn
    cell = {nn.LSTM: "lstm", nn.GRU: "gru"}.get(type(rnn)) or "rnn-" + rnn.nonlinearity
    config = {
        "format": FORMAT,
        "version": VERSION,
        "model": {
            "cell": cell,
            "layers": rnn.num_layers,
            "hidden": rnn.hidden_size,
            "embedding": model.embedding.embedding_dim if model.embedding is not None else 0,
            "class-embedding": model.condition.embedding_dim if model.condition is not None else 16,
            "dropout": model.drop.p,
        },
        "classes": classes,
    }
    # each tensor with its own storage: views of a shared one (cuDNN's flat weights) are not read
    state = {k: v.detach().cpu().contiguous().clone() for k, v in model.state_dict().items()}
    torch.save(state, os.path.join(directory, "model.pt"))
    with open(os.path.join(directory, "config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2)
    with open(os.path.join(directory, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump({"tokens": list(tokens)}, f, ensure_ascii=False, indent=2)


def read_safetensors(path):
    """A state dict from a .safetensors file: 8-byte header length, JSON header, raw little-endian data."""
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    state = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        flat = torch.frombuffer(bytearray(data[begin:end]), dtype=_DTYPES[entry["dtype"]])
        state[name] = flat.reshape(entry["shape"]).clone()
    return state
