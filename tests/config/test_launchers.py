"""The shipped launcher and sweeper presets compose and carry the settings the research requires
(/work/shared/reference/distributed.md: requeue on preemption, fresh workers, one GPU per shard)."""

from __future__ import annotations

from hydra import compose, initialize_config_module
from hydra.plugins.launcher import Launcher
from hydra.utils import get_class
from omegaconf import OmegaConf

from simgen.config.compose import register_configs

register_configs()


def _hydra(overrides: list[str]):
    with initialize_config_module(config_module="simgen.configs", version_base="1.3"):
        cfg = compose(config_name="config", overrides=overrides, return_hydra_config=True)
    return cfg


def _launcher(name: str) -> dict:
    return OmegaConf.to_container(_hydra([f"hydra/launcher={name}"]).hydra.launcher, resolve=False)


def test_slurm_preset_requeues_preempted_jobs_with_one_gpu_per_task():
    launcher = _launcher("simgen_slurm")
    assert launcher["_target_"].endswith("SlurmLauncher")
    assert launcher["timeout_min"] >= 60 and launcher["max_num_timeout"] >= 3
    assert launcher["tasks_per_node"] == 1 and launcher["gpus_per_node"] == 1
    assert launcher["array_parallelism"] >= 1 and launcher["signal_delay_s"] >= 120


def test_ray_preset_uses_fresh_workers_with_one_gpu_each():
    ray = _launcher("simgen_ray")["ray"]
    assert ray["remote"] == {"num_gpus": 1, "max_calls": 1}
    assert ray["init"]["address"] == "local" and ray["init"]["object_store_memory"] is None


def test_local_presets_compose():
    assert _launcher("simgen_local")["_target_"].endswith("LocalLauncher")
    assert _launcher("simgen_joblib")["n_jobs"] >= 1


def test_every_launcher_preset_points_at_an_installed_plugin():
    for name in ("simgen_slurm", "simgen_local", "simgen_ray", "simgen_joblib"):
        target = _launcher(name)["_target_"]
        assert issubclass(get_class(target), Launcher), name


def test_shard_sweeper_covers_every_shard():
    cfg = _hydra(["hydra/sweeper=shards", "frames=1000", "frames_per_shard=300"])
    assert OmegaConf.to_container(cfg.hydra.sweeper.params, resolve=True) == {"shard": "range(0,4)"}


def test_sweep_logs_go_under_the_dataset_per_shard():
    cfg = _hydra(["output.dir=/data/run1", "shard=3", "frames_per_shard=2", "frames=10"])
    assert cfg.hydra.sweep.dir == "/data/run1/.sweep" and cfg.hydra.sweep.subdir == "shard_3"


def test_submitit_job_files_live_in_a_per_user_state_dir_not_in_the_dataset(monkeypatch, tmp_path):
    monkeypatch.setenv("SIMGEN_STATE_DIR", str(tmp_path / "state"))
    for name in ("simgen_local", "simgen_slurm"):
        cfg = _hydra([f"hydra/launcher={name}", "output.dir=/data/run1"])
        folder = cfg.hydra.launcher.submitit_folder
        assert folder.startswith(str(tmp_path / "state" / "launcher" / "run1-")) and folder.endswith("/submitit/%j")
        assert not folder.startswith("/data/run1")
    monkeypatch.delenv("SIMGEN_STATE_DIR")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    assert _hydra(["hydra/launcher=simgen_local"]).hydra.launcher.submitit_folder.startswith(
        str(tmp_path / "xdg" / "simgen" / "launcher"))
