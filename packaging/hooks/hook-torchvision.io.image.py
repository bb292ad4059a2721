"""Replaces contrib's hook, which names the `torchvision.image` module of older releases; its
successor `image_stable.so` is a plain library that hook-torchvision.py collects."""
