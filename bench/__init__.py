"""The city-scale HTTP benchmark (bench/run): its settings, URLconf, page list and driver. Never imported by the
portal itself."""
