#!/bin/bash
set -e
echo "warming caches"
