"""Settings: where they come from (file, environment, flags) and the first config file."""
