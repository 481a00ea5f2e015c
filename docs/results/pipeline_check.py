"""Is the data pipeline the bottleneck? One real training epoch through d2l.train against the
benchmark's synthetic-input step for the same model, batch and optimizer, in one process.

  D2L_DATA_DIR=/path/to/data D2L_MODE=full .venv/bin/python docs/results/pipeline_check.py"""
import d2l_utils as d2l
import mxnet as mx

from d2l_utils.models.nin import nin_mnist

batch_size = 128
train_iter, _ = d2l.load_mnist(batch_size)
sgd = {"learning_rate": 0.01}  # the same plain SGD step as measure_training_throughput
for round_ in range(2):
    synthetic = d2l.measure_training_throughput(nin_mnist, (batch_size, 1, 28, 28), steps=100, warmup=5)
    history = d2l.train(nin_mnist(), train_iter, None, 1, optimizer="sgd", optimizer_params=sgd,
                        ctx=mx.cpu(), plot=False, verbose=False, seed=0)
    real = history["examples_per_sec"][0]
    print(f"round {round_ + 1}: synthetic {synthetic:.0f} examples/s, real epoch {real:.0f} examples/s "
          f"({train_iter.num_examples} images), ratio {real / synthetic:.3f}")
