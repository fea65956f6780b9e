"""Incremental builds: the one owner of the cache folder (render cache, build stamps,
thumbnails, zips, each in its own subfolder with its own pruning rule)."""
