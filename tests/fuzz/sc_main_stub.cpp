// libsystemc.so refers to sc_main; the harnesses never run a simulation (libFuzzer owns main).
extern "C" int sc_main(int, char**) {
  return 0;
}
