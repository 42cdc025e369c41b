#!/bin/sh
# placeholder: replaced by the real test
exit 77
