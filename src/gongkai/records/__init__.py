"""Government information records (政府信息记录): proactive disclosure's documents and their lifecycle."""
