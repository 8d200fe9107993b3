<?php

echo "ok\n";
