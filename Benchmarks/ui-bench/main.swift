print("ui-bench")
