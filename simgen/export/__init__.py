"""Exports of a finished dataset to other trainers' formats (YOLO, KITTI), without re-rendering."""
