import pytest
import torch

from lenet_desktop.core.device import DeviceError, available_devices, resolve_device
from lenet_desktop.core.model import Net


def test_auto_picks_an_available_device():
    device = resolve_device("auto")
    expected = "cuda" if torch.cuda.is_available() else ("mps" if torch.backends.mps.is_available() else "cpu")
    assert device.type == expected


def test_cpu_is_always_honoured():
    assert resolve_device("cpu") == torch.device("cpu")
    assert available_devices()[0].spec == "cpu"


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_cuda_is_refused_with_a_clear_message_when_absent():
    with pytest.raises(DeviceError, match="CUDA is not available"):
        resolve_device("cuda:1")


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_a_cuda_index_beyond_the_machine_is_refused():
    with pytest.raises(DeviceError, match="CUDA device"):
        resolve_device(f"cuda:{torch.cuda.device_count()}")


@pytest.mark.parametrize("spec", ["gpu", "cuda:x", "tpu", ""])
def test_nonsense_is_refused(spec):
    with pytest.raises(DeviceError):
        resolve_device(spec)


def test_every_listed_device_runs_the_model():
    for option in available_devices():
        device = resolve_device(option.spec)
        net = Net().to(device)
        assert net(torch.zeros(1, 1, 32, 32, device=device)).shape == (1, 10)
