"""Output: what lands in OUT besides the PDFs themselves: the manifest, the offline
edition, the print plan."""
