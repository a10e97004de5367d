"""guard training: data, fine-tuning, evaluation, ONNX export (needs the `train` extra)."""
