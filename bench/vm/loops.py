# The benchmark's two loops in CPython, written the idiomatic fast way (locals in a function,
# range); prints the result, then the CPU and wall seconds the call took (start-up excluded).
import sys
import time


def loop(n):
    s = 0
    for i in range(n):
        s += i & 7
    return s


def weight(x):
    return x * 3 + 1


def calls(n):
    table = [5, 1, 4, 2, 8, 6, 3, 7]
    s = 0
    for i in range(n):
        s += weight(table[i & 7])
    return s


which, n = sys.argv[1], int(sys.argv[2])
fn = loop if which == 'loop' else calls
t0, c0 = time.perf_counter(), time.process_time()
result = fn(n)
print(result, time.process_time() - c0, time.perf_counter() - t0)
