var c = Environment.GetEnvironmentVariable("QUEUE_CONN");
