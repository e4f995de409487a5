/* TorchSharp 0.107.0's libLibTorchSharp.so is built with GCC 13 and asks libstdc++ for std::ios_base_library_init()
   (version GLIBCXX_3.4.32), which GCC 13's <iostream> calls to initialise the standard streams. Debian 12's libstdc++
   (GCC 12) has neither the symbol nor the version, and initialises the streams by itself, so a no-op stands in.
   Used only by bench/training.sh to measure TorchSharp on this machine; V2AStream does not use TorchSharp. */
void _ZSt21ios_base_library_initv(void) {}
