package main

import "os"

var addr = os.Getenv("LISTEN_ADDR")
