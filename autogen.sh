#!/bin/sh
# Copyright (C) nv8 contributors
set -e
cd "$(dirname "$0")"
autoreconf -fi
