print("vmscope-bench: no benchmarks yet")
