"""`simgen plan`: sample frames without rendering (`planner`) and draw what was sampled (`figure`)."""
