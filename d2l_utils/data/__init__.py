"""Real datasets: official files when present, MXNet's downloaders when online, and
the small real samples shipped in ``d2l_utils/samples`` for quick mode and tests."""
from .paths import DatasetNotFound, DatasetCorrupted, data_dir, SAMPLES_DIR
from .idx import read_idx
from .loader import ArrayLoader
from .mnist import load_mnist, load_fashion_mnist, read_idx_dataset, FASHION_CLASSES
from .cifar import load_cifar10, read_cifar10, CLASSES as CIFAR10_CLASSES
from .image_folder import load_image_folder, read_image_folder, stratified_split
from .hyperspectral import load_indian_pines, load_ehu_scene, SCENES
