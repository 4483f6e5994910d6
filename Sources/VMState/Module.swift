// VMState: the pure core of vmscope (model, profiles, simulated heap, engine, trace).
