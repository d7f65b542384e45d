#include "app/app.hpp"

int main(int argc, char** argv) {
  return heatmap_merge::run_command_line(argc, argv);
}
