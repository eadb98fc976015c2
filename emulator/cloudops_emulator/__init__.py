"""Local emulator of the KSYUN and Huawei Cloud APIs used by cloudops.multicloud."""
__version__ = "0.1.0"
