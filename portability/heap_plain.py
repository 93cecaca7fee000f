# A plain script for the heap guard (portability/heap_guard.py): no gc tuning, the package's
# default run on Iris (train's default network for the binary task, 100 epochs, batches of 16).
import tinybackprop as tb
from tinybackprop.datasets import iris_task

t = iris_task("binary", positive="virginica", test_fraction=0.2, seed=0)
net = tb.Network([4, 3, 2, 1], seed=0)
tb.train(net, t.X_train, t.Y_train, epochs=100, lr=0.5, batch_size=16, seed=0)
loss, acc = tb.training.evaluate(net, t.X_test, t.Y_test)
print("test loss %.4f, test accuracy %.3f" % (loss, acc))
assert acc >= 0.9, acc
