"""LeNet Desktop: draw a digit, watch a LeNet recognise it, retrain it on your handwriting."""

__version__ = "0.1.0"
