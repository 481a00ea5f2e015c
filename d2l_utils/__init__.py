"""d2l_utils: the shared helpers of gluon-cnn-course.

Importing it first sets up the process for MXNet (numpy check, OpenMP threads), so
every chapter starts with ``import d2l_utils as d2l``.
"""
from .runtime import EnvironmentProblem, check_numpy, configure_threads, keep_openmp_off_the_main_thread
from .kernel import check_course_kernel

check_course_kernel()   # another Jupyter's kernel: say which one to pick, before numpy/MXNet fail
check_numpy()
NUM_THREADS = configure_threads()

from .modes import get_mode, is_quick, chapter_banner, ModeError  # noqa: E402
from .devices import try_gpu, try_all_gpus, device_report, split_batch  # noqa: E402
from .seeding import set_seed  # noqa: E402
from .data import (DatasetNotFound, DatasetCorrupted, load_mnist, load_fashion_mnist,  # noqa: E402
                   load_cifar10, load_image_folder, load_indian_pines, load_ehu_scene,
                   read_idx_dataset, data_dir)
from .accounting import (count_parameters, layer_table, print_layer_table, conv_macs,  # noqa: E402
                         dense_macs, total_macs, same_model)
from .metrics import (evaluate_accuracy, predict_labels, confusion_matrix,  # noqa: E402
                      plot_confusion_matrix)
from .plots import LivePlot, show_images, save_or_show  # noqa: E402
from .training import train, hold_then_cosine, warmup_cosine, TrainingDiverged  # noqa: E402
from .checkpoints import (CheckpointMismatch, CheckpointCorrupted, load_checkpoint,  # noqa: E402
                          latest_checkpoint)
from .inputs import InputMismatch, check_input, explain_model_calls  # noqa: E402
from .speed import measure_training_throughput, compare_hybridize  # noqa: E402

explain_model_calls()  # a model given the wrong input says so in plain words
keep_openmp_off_the_main_thread()   # MXNet is loaded now; see runtime.py

__version__ = "0.1.0"
