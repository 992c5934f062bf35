"""The dataset directory and the bookkeeping of runs writing into it.

`directory` is the write side (what a run commits), `resume` which frames a run still renders,
`view` the read side (what preview, report, validate and the exports read), `shards` and
`locking` a sweep's shard bookkeeping and locks, `preemption` stop signals, `finalize` and
`merge` the assembly of a run and of a sweep, `lineage` the code, config and software versions
recorded with the data and each frame's provenance.
"""
