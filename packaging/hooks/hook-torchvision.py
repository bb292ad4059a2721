"""torchvision for a frozen LeNet Desktop (replaces pyinstaller-hooks-contrib's hook, as user hooks rank first).

Why: since the stable-ABI builds (0.29 here), torchvision keeps its operators in `_C_stable.so` and its image
codecs in `image_stable.so`. Neither is a Python module: `torchvision/extension.py` and `torchvision/io/image.py`
hand their paths to `torch.ops.load_library`, so import analysis never sees them, and contrib's hook still names
the old `torchvision._C` module. Without `_C_stable.so` no `torchvision::*` operator is registered and
`import torchvision` dies in `_meta_registrations` with "operator torchvision::nms does not exist".
Collecting them as binaries puts them beside the package's modules, where `_get_extension_path` looks, and lets
the dependency analysis bring their libraries (libtorch, torchvision.libs/) along.
"""

from PyInstaller.utils.hooks import collect_dynamic_libs

binaries = collect_dynamic_libs("torchvision", search_patterns=["*_stable.so", "*_stable.pyd", "*_stable.dylib"])

# As contrib's hook: keep the .py sources next to the bytecode, as TorchScript reads them.
module_collection_mode = "pyz+py"
